package org.malariastream.metrics.slides;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.malariastream.avro.CompletionReason;
import org.malariastream.avro.SlideResult;
import org.malariastream.avro.SlideStatus;
import org.malariastream.common.slides.PriorShift;
import org.malariastream.metrics.cells.CellState;

/**
 * The running tally of one slide. Counters move by whole cells: a cell's old state is subtracted and its new
 * state added, so the tally always equals a count over the slide's current cells. Beside the counts it keeps
 * the model's outputs in coarse bins ({@link SlideScores}) for the slide-aware parasitaemia: each cell's output
 * moved to the slide's own estimated parasitized share ({@link PriorShift}), from the cells seen so far.
 */
public final class SlideState {
    private final String slideId;
    private String scannerId;
    private String patientRef;
    private String modelName = "";
    private String modelVersion = "";
    private Integer expectedCellCount;
    private long classified;
    private long predictedParasitized;
    private long labelled;
    private long labelledParasitized;
    /** Cells with both a prediction and a label: the parasitaemia error is measured on these alone. */
    private long joined;
    private long joinedPredictedParasitized;
    private long joinedLabelledParasitized;
    /** Outputs of the classified cells, and of the joined ones, for the slide-aware estimate. */
    private SlideScores scores = new SlideScores();
    private SlideScores joinedScores = new SlideScores();
    /** False for a slide whose state was written before the scores were kept: its estimate would miss cells. */
    private boolean scoresKept = true;
    private Long firstCapturedAt;
    /** Wall-clock time of the last prediction: the idle timeout counts from it, and views show it as updatedAt. */
    private long lastActivityAt;
    private SlideStatus status = SlideStatus.IN_PROGRESS;
    private CompletionReason completionReason;
    /**
     * A complete slide changed after its final result went out (a late label, a corrected prediction), and the
     * corrected final result has not gone out yet. Kept in the store, so that a restart or a move of the task to
     * another instance still sends it.
     */
    private boolean finalOwed;

    public SlideState(String slideId) {
        this.slideId = slideId;
    }

    /** Adds (+1) or removes (-1) one cell's contribution. */
    public void apply(CellState cell, int sign) {
        if (cell == null) {
            return;
        }
        CellState.Prediction p = cell.prediction();
        if (p != null) {
            classified += sign;
            scores.add(p.probability(), sign);
            if (p.parasitized()) {
                predictedParasitized += sign;
            }
        }
        if (cell.label() != null) {
            labelled += sign;
            if (cell.label()) {
                labelledParasitized += sign;
            }
        }
        if (cell.isJoined()) {
            joined += sign;
            joinedScores.add(p.probability(), sign);
            if (p.parasitized()) {
                joinedPredictedParasitized += sign;
            }
            if (cell.label()) {
                joinedLabelledParasitized += sign;
            }
        }
    }

    /** Takes the slide's descriptive fields from its latest prediction. */
    public void describe(CellState.Prediction p) {
        scannerId = p.scannerId();
        if (p.patientRef() != null) {
            patientRef = p.patientRef();
        }
        modelName = p.modelName();
        modelVersion = p.modelVersion();
        if (p.expectedCellCount() != null) {
            expectedCellCount = p.expectedCellCount();
        }
        if (firstCapturedAt == null || p.capturedAt() < firstCapturedAt) {
            firstCapturedAt = p.capturedAt();
        }
    }

    public void touch(long wallClockMs) {
        lastActivityAt = wallClockMs;
    }

    /** Whether the scanner's announced cell count has been classified. */
    public boolean expectedCountReached() {
        return expectedCellCount != null && expectedCellCount > 0 && classified >= expectedCellCount;
    }

    public void complete(CompletionReason reason) {
        status = SlideStatus.COMPLETE;
        completionReason = reason;
    }

    public boolean isComplete() {
        return status == SlideStatus.COMPLETE;
    }

    public boolean finalOwed() {
        return finalOwed;
    }

    public void finalOwed(boolean owed) {
        finalOwed = owed;
    }

    public String slideId() {
        return slideId;
    }

    public long classified() {
        return classified;
    }

    public long lastActivityAt() {
        return lastActivityAt;
    }

    /**
     * The published form: parasitaemia in percent with its 95% Wilson interval, and the slide-aware estimate.
     *
     * @param sharpen the logit scale applied to the model's outputs before the slide-aware estimate
     */
    public SlideResult toResult(long updatedAt, double sharpen) {
        Wilson.Interval ci = Wilson.interval95(predictedParasitized, classified);
        Double slideAware = null;
        Double slideAwareError = null;
        if (scoresKept && classified > 0) {
            // cells counted at one half after the adjustment, not the estimated share itself: in cross-validation
            // the share missed the labelled share by 3.49 pp, the adjusted count by 3.01 (model card v4)
            double share = scores.share(sharpen);
            slideAware = 100 * scores.shareCalledParasitized(share, sharpen);
            if (joined > 0) {
                slideAwareError = 100 * joinedScores.shareCalledParasitized(share, sharpen)
                        - percent(joinedLabelledParasitized, joined);
            }
        }
        return SlideResult.newBuilder()
                .setSlideId(slideId)
                .setScannerId(scannerId)
                .setPatientRef(patientRef)
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setStatus(status)
                .setCompletionReason(completionReason)
                .setExpectedCellCount(expectedCellCount)
                .setCellsClassified(classified)
                .setCellsPredictedParasitized(predictedParasitized)
                .setParasitaemiaPct(percent(predictedParasitized, classified))
                .setParasitaemiaCiLowPct(100 * ci.low())
                .setParasitaemiaCiHighPct(100 * ci.high())
                .setLabelledCells(labelled)
                .setLabelledParasitized(labelledParasitized)
                .setLabelledParasitaemiaPct(labelled == 0 ? null : percent(labelledParasitized, labelled))
                .setParasitaemiaErrorPp(joined == 0 ? null
                        : percent(joinedPredictedParasitized, joined) - percent(joinedLabelledParasitized, joined))
                .setSlideAwareParasitaemiaPct(slideAware)
                .setSlideAwareErrorPp(slideAwareError)
                .setFirstCapturedAt(firstCapturedAt == null ? null : java.time.Instant.ofEpochMilli(firstCapturedAt))
                .setUpdatedAt(java.time.Instant.ofEpochMilli(updatedAt))
                .build();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    // --- binary form for the state store: written once per input record, so a flat ByteBuffer layout ---

    /** Format 1 had no scores; it is still read, as a slide without a slide-aware estimate. */
    private static final byte FORMAT_WITHOUT_SCORES = 1;
    private static final byte FORMAT = 2;

    public byte[] toBytes() {
        byte[][] strings = {utf8(slideId), utf8(scannerId), utf8(patientRef), utf8(modelName), utf8(modelVersion)};
        int size = 1 + 4 + 9 * 8 + 3 + scores.maxEncodedSize() + joinedScores.maxEncodedSize();
        for (byte[] b : strings) {
            size += 4 + (b == null ? 0 : b.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT);
        for (byte[] b : strings) {
            if (b == null) {
                out.putInt(-1);
            } else {
                out.putInt(b.length).put(b);
            }
        }
        out.putInt(expectedCellCount == null ? -1 : expectedCellCount);
        out.putLong(classified).putLong(predictedParasitized).putLong(labelled).putLong(labelledParasitized)
                .putLong(joined).putLong(joinedPredictedParasitized).putLong(joinedLabelledParasitized)
                .putLong(firstCapturedAt == null ? Long.MIN_VALUE : firstCapturedAt).putLong(lastActivityAt);
        out.put((byte) status.ordinal());
        out.put((byte) (completionReason == null ? -1 : completionReason.ordinal()));
        // One byte of flags: bit 0 scores kept, bit 1 final owed (format 2 wrote 0 or 1, so it reads the same).
        // Code before the second bit reads 3 as "scores not kept": rolled back, a slide whose corrected final was
        // owed at that moment loses its slide-aware estimate (the counts are unaffected).
        out.put((byte) ((scoresKept ? 1 : 0) | (finalOwed ? 2 : 0)));
        scores.writeTo(out);
        joinedScores.writeTo(out);
        return Arrays.copyOf(out.array(), out.position());
    }

    public static SlideState fromBytes(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        byte format = in.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_SCORES) {
            throw new IllegalArgumentException("unknown slide state format " + format);
        }
        SlideState s = new SlideState(string(in));
        s.scannerId = string(in);
        s.patientRef = string(in);
        s.modelName = string(in);
        s.modelVersion = string(in);
        int expected = in.getInt();
        s.expectedCellCount = expected < 0 ? null : expected;
        s.classified = in.getLong();
        s.predictedParasitized = in.getLong();
        s.labelled = in.getLong();
        s.labelledParasitized = in.getLong();
        s.joined = in.getLong();
        s.joinedPredictedParasitized = in.getLong();
        s.joinedLabelledParasitized = in.getLong();
        long first = in.getLong();
        s.firstCapturedAt = first == Long.MIN_VALUE ? null : first;
        s.lastActivityAt = in.getLong();
        s.status = SlideStatus.values()[in.get()];
        byte reason = in.get();
        s.completionReason = reason < 0 ? null : CompletionReason.values()[reason];
        if (format == FORMAT_WITHOUT_SCORES) {
            s.scoresKept = false;
        } else {
            byte flags = in.get();
            s.scoresKept = (flags & 1) != 0;
            s.finalOwed = (flags & 2) != 0;
            s.scores = SlideScores.readFrom(in);
            s.joinedScores = SlideScores.readFrom(in);
        }
        return s;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    public static Serde<SlideState> serde() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : s.toBytes(),
                (topic, b) -> b == null ? null : fromBytes(b));
    }
}
