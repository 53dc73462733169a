package org.malariastream.metrics.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.SlideResult;
import org.malariastream.metrics.cells.CellState;

class SlideStateTest {

    private static CellState cell(double probability, Boolean label) {
        CellState.Prediction p = new CellState.Prediction("scanner-1", "p-1", "m", "1", probability >= 0.5, probability,
                1000L, 2000L, null);
        CellState c = CellState.EMPTY.withPrediction(p);
        return label == null ? c : c.withLabel(label);
    }

    @Test
    void theStoredFormKeepsEveryFigureIncludingTheSlideAwareOnes() {
        SlideState s = new SlideState("s1");
        for (int i = 0; i < 30; i++) {
            CellState c = cell(i < 10 ? 0.92 : 0.08, i < 20 ? i < 10 : null);
            s.apply(c, +1);
            s.describe(c.prediction());
        }
        SlideResult original = s.toResult(5000, 1.25);
        SlideState copy = SlideState.fromBytes(s.toBytes());
        assertThat(copy.toResult(5000, 1.25)).isEqualTo(original);
        assertThat(copy.toBytes()).isEqualTo(s.toBytes());
        assertThat(original.getSlideAwareParasitaemiaPct()).isCloseTo(100.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(original.getSlideAwareErrorPp()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void anOwedFinalResultIsKeptInTheStoredFormBesideTheScores() {
        SlideState s = new SlideState("s2");
        s.apply(cell(0.9, true), +1);
        s.complete(org.malariastream.avro.CompletionReason.IDLE_TIMEOUT);
        assertThat(SlideState.fromBytes(s.toBytes()).finalOwed()).isFalse();
        s.finalOwed(true);
        SlideState copy = SlideState.fromBytes(s.toBytes());
        assertThat(copy.finalOwed()).isTrue();
        assertThat(copy.toResult(5000, 1.25)).as("scores still kept").isEqualTo(s.toResult(5000, 1.25));
        assertThat(copy.toResult(5000, 1.25).getSlideAwareParasitaemiaPct()).isNotNull();
        copy.finalOwed(false);
        assertThat(SlideState.fromBytes(copy.toBytes()).finalOwed()).isFalse();
    }

    @Test
    void aStateWrittenBeforeTheScoresWereKeptIsReadWithoutASlideAwareEstimate() {
        // format 1: format byte, five strings, expected count, nine longs, status and completion reason
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 1);
        for (String str : new String[] {"old", "scanner-1", null, "m", "1"}) {
            if (str == null) {
                b.putInt(-1);
            } else {
                byte[] utf8 = str.getBytes(StandardCharsets.UTF_8);
                b.putInt(utf8.length).put(utf8);
            }
        }
        b.putInt(-1);
        for (long v : new long[] {40, 4, 0, 0, 0, 0, 0, 1000, 2000}) {
            b.putLong(v);
        }
        b.put((byte) 0).put((byte) -1);
        SlideState old = SlideState.fromBytes(java.util.Arrays.copyOf(b.array(), b.position()));
        old.apply(cell(0.9, null), +1);
        SlideResult r = old.toResult(5000, 1.25);
        assertThat(r.getCellsClassified()).isEqualTo(41);
        assertThat(r.getParasitaemiaPct()).isEqualTo(100.0 * 5 / 41);
        assertThat(r.getSlideAwareParasitaemiaPct()).isNull();
        // and it stays so once written in the new form
        assertThat(SlideState.fromBytes(old.toBytes()).toResult(5000, 1.25).getSlideAwareParasitaemiaPct()).isNull();
    }
}
