package org.malariastream.metrics.cells;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the service knows about one cell: the latest prediction of each model version that classified it
 * (newest first) and the latest label. A re-sent or corrected prediction replaces the earlier one of the
 * same model version; a label replaces the earlier label. Everything the metrics count is a function of
 * these states, which is why a record can never count twice: a cell's old contribution is taken out before
 * the new one goes in. Keeping each version's prediction lets a new model re-classify cells (a shadow run,
 * a replay) without erasing what the old version scored on them.
 *
 * @param predictions one per model version, the most recently received first; empty until one arrives
 * @param label       null until a microscopist's verdict arrives; true = PARASITIZED
 */
public record CellState(List<Prediction> predictions, Boolean label) {
    public static final CellState EMPTY = new CellState(List.of(), null);
    /** Model versions remembered per cell; the oldest beyond this drops out (and out of its version's figures). */
    public static final int MAX_MODEL_VERSIONS = 8;

    public CellState {
        predictions = List.copyOf(predictions);
    }

    /** The part of a CellPrediction the metrics need. */
    public record Prediction(String scannerId, String patientRef, String modelName, String modelVersion,
            boolean parasitized, double probability, long capturedAt, long classifiedAt, Integer expectedCellCount) {
        public String modelKey() {
            return CellState.modelKey(modelName, modelVersion);
        }

        boolean sameModel(Prediction other) {
            return modelName.equals(other.modelName) && modelVersion.equals(other.modelVersion);
        }
    }

    /** The key of metrics.model and of the model stores: {@code modelName:modelVersion}. */
    public static String modelKey(String modelName, String modelVersion) {
        return modelName + ":" + modelVersion;
    }

    /** Cells are stored under slide id + unit separator + cell id, so one slide's cells sort together. */
    public static String cellKey(String slideId, String cellId) {
        return slideId + '\u001f' + cellId;
    }

    /** The most recent prediction, whatever the model version: what the slide's parasitaemia counts. */
    public Prediction prediction() {
        return predictions.isEmpty() ? null : predictions.get(0);
    }

    public CellState withPrediction(Prediction p) {
        List<Prediction> next = new ArrayList<>(predictions.size() + 1);
        next.add(p);
        for (Prediction old : predictions) {
            if (!old.sameModel(p) && next.size() < MAX_MODEL_VERSIONS) {
                next.add(old);
            }
        }
        return new CellState(next, label);
    }

    public CellState withLabel(boolean parasitized) {
        return new CellState(predictions, parasitized);
    }

    public boolean hasLabel() {
        return label != null;
    }

    /** Whether the latest prediction has a label: the slide's parasitaemia error is measured on these. */
    public boolean isJoined() {
        return !predictions.isEmpty() && label != null;
    }

    // --- binary form for the state store: small and quick, written once per input record ---

    private static final byte HAS_LABEL = 1;
    private static final byte LABEL_PARASITIZED = 2;
    private static final byte PREDICTED_PARASITIZED = 1;
    private static final byte HAS_EXPECTED = 2;
    private static final byte HAS_PATIENT = 4;

    public byte[] toBytes() {
        List<byte[][]> strings = new ArrayList<>(predictions.size());
        int size = 2;
        for (Prediction p : predictions) {
            byte[][] s = {utf8(p.scannerId), p.patientRef == null ? new byte[0] : utf8(p.patientRef),
                utf8(p.modelName), utf8(p.modelVersion)};
            strings.add(s);
            size += 1 + 8 + 8 + 8 + 4;
            for (byte[] b : s) {
                size += 4 + b.length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) ((label == null ? 0 : HAS_LABEL) | (Boolean.TRUE.equals(label) ? LABEL_PARASITIZED : 0)));
        out.put((byte) predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            out.put((byte) ((p.parasitized ? PREDICTED_PARASITIZED : 0) | (p.expectedCellCount != null ? HAS_EXPECTED : 0)
                    | (p.patientRef != null ? HAS_PATIENT : 0)));
            for (byte[] b : strings.get(i)) {
                out.putInt(b.length).put(b);
            }
            out.putDouble(p.probability).putLong(p.capturedAt).putLong(p.classifiedAt)
                    .putInt(p.expectedCellCount == null ? 0 : p.expectedCellCount);
        }
        return out.array();
    }

    public static CellState fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte flags = in.get();
        int n = in.get() & 0xFF;
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte pf = in.get();
            String scanner = string(in);
            String patient = string(in);
            String name = string(in);
            String version = string(in);
            double probability = in.getDouble();
            long captured = in.getLong();
            long classified = in.getLong();
            int expected = in.getInt();
            predictions.add(new Prediction(scanner, (pf & HAS_PATIENT) != 0 ? patient : null, name, version,
                    (pf & PREDICTED_PARASITIZED) != 0, probability, captured, classified,
                    (pf & HAS_EXPECTED) != 0 ? expected : null));
        }
        Boolean label = (flags & HAS_LABEL) != 0 ? (flags & LABEL_PARASITIZED) != 0 : null;
        return new CellState(predictions, label);
    }

    private static byte[] utf8(String s) {
        return Objects.requireNonNull(s).getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    public static Serde<CellState> serde() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : s.toBytes(),
                (topic, b) -> b == null ? null : fromBytes(b));
    }
}
