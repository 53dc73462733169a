package org.malariastream.metrics.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.malariastream.metrics.testing.CellRecords.T0;
import static org.malariastream.metrics.testing.CellRecords.label;
import static org.malariastream.metrics.testing.CellRecords.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.CompletionReason;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.avro.SlideResult;
import org.malariastream.avro.SlideStatus;
import org.malariastream.metrics.slides.Wilson;
import org.malariastream.metrics.testing.CellRecords;
import org.malariastream.schemas.DeadLetters;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/** The topology in TopologyTestDriver; the serdes talk to the embedded registry (no broker is used). */
@ExtendWith(LocalStackExtension.class)
class MetricsTopologyTest {
    private static final String M1 = CellRecords.MODEL + ":1.0.0";
    private final String registryUrl;

    MetricsTopologyTest(LocalStack stack) {
        this.registryUrl = stack.schemaRegistryUrl();
    }

    private TopologyHarness harness() {
        return new TopologyHarness(registryUrl, MetricsSettings.defaults());
    }

    /** Six cells of one slide: 2 TP, 1 FN, 1 FP, 2 TN; two of them in the next 5-minute window. */
    private static List<CellPrediction> smallStreamPredictions() {
        return List.of(
                prediction("s1", "c1", 0.95, "1.0.0", T0, null),                  // TP
                prediction("s1", "c2", 0.80, "1.0.0", T0.plusSeconds(10), null),  // TP
                prediction("s1", "c3", 0.30, "1.0.0", T0.plusSeconds(20), null),  // FN
                prediction("s1", "c4", 0.60, "1.0.0", T0.plusSeconds(30), null),  // FP
                prediction("s1", "c5", 0.10, "1.0.0", T0.plusSeconds(400), null), // TN, next window
                prediction("s1", "c6", 0.05, "1.0.0", T0.plusSeconds(410), null)); // TN, next window
    }

    private static List<CellLabel> smallStreamLabels() {
        return List.of(label("s1", "c1", true), label("s1", "c2", true), label("s1", "c3", true),
                label("s1", "c4", false), label("s1", "c5", false), label("s1", "c6", false));
    }

    @Test
    void handComputedMetricsForASmallStream() {
        try (TopologyHarness h = harness()) {
            // Labels first for half the cells, predictions first for the others: the join takes either order.
            List<CellPrediction> preds = smallStreamPredictions();
            List<CellLabel> labels = smallStreamLabels();
            for (int i = 0; i < 3; i++) {
                h.label(labels.get(i));
            }
            preds.forEach(h::predict);
            for (int i = 3; i < 6; i++) {
                h.label(labels.get(i));
            }
            h.tick();

            Map<String, ModelMetrics> latest = h.latestModelMetrics();
            ModelMetrics all = latest.get(M1 + "@null");
            assertThat(all.getCount()).isEqualTo(6);
            assertThat(List.of(all.getTruePositives(), all.getFalsePositives(), all.getTrueNegatives(),
                    all.getFalseNegatives())).containsExactly(2L, 1L, 2L, 1L);
            assertThat(all.getAccuracy()).isCloseTo(4 / 6.0, within(1e-12));
            assertThat(all.getPrecision()).isCloseTo(2 / 3.0, within(1e-12));
            assertThat(all.getSensitivity()).isCloseTo(2 / 3.0, within(1e-12));
            assertThat(all.getSpecificity()).isCloseTo(2 / 3.0, within(1e-12));
            assertThat(all.getF1()).isCloseTo(2 / 3.0, within(1e-12));
            assertThat(all.getAuc()).isCloseTo(8 / 9.0, within(1e-12));

            // Tumbling 5-minute windows by classification time: 08:00 holds c1-c4, 08:05 holds c5-c6.
            Instant w0 = T0;
            Instant w1 = T0.plus(Duration.ofMinutes(5));
            assertThat(latest).containsKeys(M1 + "@null", M1 + "@" + w0, M1 + "@" + w1);
            ModelMetrics first = latest.get(M1 + "@" + w0);
            assertThat(first.getWindowEnd()).isEqualTo(w1);
            assertThat(first.getCount()).isEqualTo(4);
            assertThat(first.getAccuracy()).isCloseTo(0.5, within(1e-12));
            assertThat(first.getSpecificity()).isCloseTo(0.0, within(1e-12));
            ModelMetrics second = latest.get(M1 + "@" + w1);
            assertThat(second.getCount()).isEqualTo(2);
            assertThat(second.getTrueNegatives()).isEqualTo(2);
            assertThat(second.getSensitivity()).isNull(); // no parasitized cell in that window
            assertThat(second.getAuc()).isNull();

            // The queryable view agrees with what was published.
            ModelView view = h.modelViews().get(QualityMergeProcessor.cumulativeKey(M1));
            assertThat(view.count()).isEqualTo(6);
            assertThat(view.auc()).isEqualTo(all.getAuc());
            assertThat(view.roc()).isNotEmpty();

            // The slide: 3 of 6 predicted parasitized; labels say 3 of 6 too, so the error is 0.
            SlideResult slide = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s1");
            assertThat(slide.getCellsClassified()).isEqualTo(6);
            assertThat(slide.getCellsPredictedParasitized()).isEqualTo(3);
            assertThat(slide.getParasitaemiaPct()).isCloseTo(50.0, within(1e-9));
            Wilson.Interval ci = Wilson.interval95(3, 6);
            assertThat(slide.getParasitaemiaCiLowPct()).isCloseTo(100 * ci.low(), within(1e-9));
            assertThat(slide.getParasitaemiaCiHighPct()).isCloseTo(100 * ci.high(), within(1e-9));
            assertThat(slide.getLabelledCells()).isEqualTo(6);
            assertThat(slide.getLabelledParasitaemiaPct()).isCloseTo(50.0, within(1e-9));
            assertThat(slide.getParasitaemiaErrorPp()).isCloseTo(0.0, within(1e-9));
            assertThat(slide.getStatus()).isEqualTo(SlideStatus.IN_PROGRESS);
        }
    }

    @Test
    void duplicatesRedeliveriesAndCorrectionsGiveTheSameNumbers() {
        Map<String, ModelMetrics> clean;
        SlideResult cleanSlide;
        try (TopologyHarness h = harness()) {
            smallStreamPredictions().forEach(h::predict);
            smallStreamLabels().forEach(h::label);
            h.tick();
            clean = withoutTimes(h.latestModelMetrics());
            cleanSlide = withoutTimes(TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s1"));
        }
        try (TopologyHarness h = harness()) {
            List<CellPrediction> preds = smallStreamPredictions();
            List<CellLabel> labels = smallStreamLabels();
            // A first, wrong label for c4 and c5, corrected later; a prediction for c3 that the classifier
            // re-sends with a corrected score; every record delivered twice; a tick in the middle.
            h.label(label("s1", "c4", true));
            h.label(label("s1", "c5", true));
            h.predict(prediction("s1", "c3", 0.99, "1.0.0", T0.plusSeconds(20), null));
            for (int i = 0; i < 6; i++) {
                h.predict(preds.get(i));
                h.predict(preds.get(i));
                if (i == 2) {
                    h.tick();
                }
            }
            labels.forEach(h::label);
            labels.forEach(h::label);
            h.predict(preds.get(0));
            h.tick();
            assertThat(withoutTimes(h.latestModelMetrics())).isEqualTo(clean);
            assertThat(withoutTimes(TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s1")))
                    .isEqualTo(cleanSlide);
            assertThat(h.meters.counter("malaria.metrics.unchanged.records").count()).isGreaterThanOrEqualTo(13);
        }
    }

    @Test
    void aNewModelVersionReclassifyingCellsKeepsTheOldVersionsFigures() {
        try (TopologyHarness h = harness()) {
            smallStreamPredictions().forEach(h::predict);
            smallStreamLabels().forEach(h::label);
            h.tick();
            ModelMetrics v1 = h.latestModelMetrics().get(M1 + "@null");
            // Version 2 re-classifies c1..c3 (all parasitized): it calls all three right, c3 included.
            h.predict(prediction("s1", "c1", 0.99, "2.0.0", T0.plusSeconds(600), null));
            h.predict(prediction("s1", "c2", 0.97, "2.0.0", T0.plusSeconds(600), null));
            h.predict(prediction("s1", "c3", 0.91, "2.0.0", T0.plusSeconds(600), null));
            h.tick();
            Map<String, ModelMetrics> latest = h.latestModelMetrics();
            // Version 1's figures are what they were (its predictions of c1..c3 still count).
            assertThat(ModelMetrics.newBuilder(latest.get(M1 + "@null")).setUpdatedAt(Instant.EPOCH).build())
                    .isEqualTo(ModelMetrics.newBuilder(v1).setUpdatedAt(Instant.EPOCH).build());
            assertThat(h.modelViews().get(QualityMergeProcessor.cumulativeKey(M1)).count()).isEqualTo(6);
            ModelMetrics v2 = latest.get(CellRecords.MODEL + ":2.0.0@null");
            assertThat(v2.getCount()).isEqualTo(3);
            assertThat(v2.getTruePositives()).isEqualTo(3);
            // The slide counts each cell's newest prediction: c3 is now parasitized, so 4 of 6.
            SlideResult slide = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s1");
            assertThat(slide.getCellsClassified()).isEqualTo(6);
            assertThat(slide.getCellsPredictedParasitized()).isEqualTo(4);
            assertThat(slide.getModelVersion()).isEqualTo("2.0.0");
        }
    }

    @Test
    void aucIsWithin1e4OfTheExactValueOn100000RandomScores() {
        Random random = new Random(42);
        int n = 100_000;
        List<Double> positives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        try (TopologyHarness h = harness()) {
            for (int i = 0; i < n; i++) {
                boolean parasitized = random.nextDouble() < 0.3;
                // Logits as a trained CNN gives them: most within 1e-3 of 0 or 1, some confident mistakes.
                double logit = (parasitized ? 1 : -1) * (random.nextDouble() < 0.93 ? 7 : -3) + 2.5 * random.nextGaussian();
                double p = 1 / (1 + Math.exp(-logit));
                (parasitized ? positives : negatives).add(p);
                String slide = "auc-" + (i / 1000);
                h.predict(prediction(slide, "c" + i, p, "2.0.0", T0.plusMillis(i), null));
                h.label(label(slide, "c" + i, parasitized));
            }
            h.tick();
            ModelMetrics all = h.latestModelMetrics().get(CellRecords.MODEL + ":2.0.0@null");
            assertThat(all.getCount()).isEqualTo(n);
            double exact = exactAuc(positives, negatives);
            assertThat(all.getAuc()).isCloseTo(exact, within(1e-4));
            assertThat(exact).isBetween(0.85, 0.999);
        }
    }

    private static double exactAuc(List<Double> positives, List<Double> negatives) {
        double[] neg = negatives.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pairs = 0;
        for (double p : positives) {
            int below = 0;
            int lo = 0;
            int hi = neg.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (neg[mid] < p) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            below = lo;
            int equal = 0;
            while (below + equal < neg.length && neg[below + equal] == p) {
                equal++;
            }
            pairs += below + 0.5 * equal;
        }
        return pairs / ((double) positives.size() * negatives.size());
    }

    @Test
    void slideCompletesWhenItsExpectedCellCountIsClassified() throws Exception {
        try (TopologyHarness h = harness()) {
            for (int i = 0; i < 4; i++) {
                h.predict(prediction("s2", "c" + i, i == 0 ? 0.9 : 0.1, "1.0.0", T0, 5));
            }
            h.predict(prediction("s2", "c3", 0.1, "1.0.0", T0, 5)); // a re-delivery is not a fifth cell
            assertThat(h.finalSlides.isEmpty()).isTrue();

            h.predict(prediction("s2", "c4", 0.2, "1.0.0", T0, 5));
            List<KeyValue<String, SlideResult>> finals = h.finalSlides.readKeyValuesToList();
            assertThat(finals).hasSize(1);
            SlideResult r = finals.get(0).value;
            assertThat(r.getStatus()).isEqualTo(SlideStatus.COMPLETE);
            assertThat(r.getCompletionReason()).isEqualTo(CompletionReason.EXPECTED_COUNT_REACHED);
            assertThat(r.getCellsClassified()).isEqualTo(5);
            assertThat(r.getParasitaemiaPct()).isCloseTo(20.0, within(1e-9));

            // The FHIR report of the completed slide: a preliminary DiagnosticReport with the two observations.
            List<KeyValue<String, String>> reports = h.fhir.readKeyValuesToList();
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).key).isEqualTo("s2");
            JsonNode report = new ObjectMapper().readTree(reports.get(0).value);
            assertThat(report.get("resourceType").asText()).isEqualTo("DiagnosticReport");
            assertThat(report.get("status").asText()).isEqualTo("preliminary");
            assertThat(report.toString()).contains("51587-4").contains("101343-2").contains("\"1.0.0\"");
        }
    }

    private TopologyHarness harnessIdleAfter2Minutes() {
        return new TopologyHarness(registryUrl, new MetricsSettings(Duration.ofMinutes(5), Duration.ofHours(1),
                Duration.ofMinutes(2), Duration.ofSeconds(1), 3.0, 50, 1.25));
    }

    @Test
    void slideCompletesAfterTheIdleTimeout() {
        try (TopologyHarness h = harnessIdleAfter2Minutes()) {
            h.predict(prediction("s3", "a", 0.9));
            h.predict(prediction("s3", "b", 0.1));
            h.advance(Duration.ofSeconds(90));
            h.predict(prediction("s3", "c", 0.1)); // activity restarts the idle clock
            h.advance(Duration.ofSeconds(90));
            assertThat(h.finalSlides.isEmpty()).as("idle for 90 s of 120").isTrue();
            h.advance(Duration.ofSeconds(31));
            List<KeyValue<String, SlideResult>> finals = h.finalSlides.readKeyValuesToList();
            assertThat(finals).hasSize(1);
            assertThat(finals.get(0).value.getCompletionReason()).isEqualTo(CompletionReason.IDLE_TIMEOUT);
            assertThat(finals.get(0).value.getCellsClassified()).isEqualTo(3);
            assertThat(h.fhir.readKeyValuesToList()).hasSize(1);

            // A late label corrects the final result once (coalesced), not once per record.
            h.label(label("s3", "a", true));
            h.label(label("s3", "b", false));
            h.tick();
            List<KeyValue<String, SlideResult>> corrected = h.finalSlides.readKeyValuesToList();
            assertThat(corrected).hasSize(1);
            assertThat(corrected.get(0).value.getLabelledCells()).isEqualTo(2);
            assertThat(corrected.get(0).value.getStatus()).isEqualTo(SlideStatus.COMPLETE);
        }
    }

    @Test
    void labelsDoNotHoldASlideOpenOnlyNewPredictionsDo() {
        try (TopologyHarness h = harnessIdleAfter2Minutes()) {
            h.predict(prediction("s7", "a", 0.9));
            h.predict(prediction("s7", "b", 0.1));
            h.advance(Duration.ofSeconds(60));
            h.label(label("s7", "a", true)); // a microscopist at work, a label every minute or so
            h.advance(Duration.ofSeconds(50));
            h.label(label("s7", "b", false));
            h.advance(Duration.ofSeconds(11));
            List<KeyValue<String, SlideResult>> finals = h.finalSlides.readKeyValuesToList();
            assertThat(finals).as("121 s after the last prediction, 11 s after the last label").hasSize(1);
            assertThat(finals.get(0).value.getCompletionReason()).isEqualTo(CompletionReason.IDLE_TIMEOUT);
            assertThat(finals.get(0).value.getLabelledCells()).isEqualTo(2);
        }
    }

    @Test
    void aPredictionFromAClockADayAheadIsDeadLetteredAndTheWindowsStay() {
        try (TopologyHarness h = harness()) {
            h.predict(prediction("s8", "a", 0.9));
            h.label(label("s8", "a", true));
            Instant dayAhead = TopologyHarness.WALL_CLOCK_START.plus(Duration.ofHours(25));
            h.predict(prediction("s8", "b", 0.1, "1.0.0", dayAhead, null));
            h.label(label("s8", "b", false));
            h.predict(prediction("s8", "c", 0.8, "1.0.0", T0.plusSeconds(5), null));
            h.label(label("s8", "c", true));
            h.tick();

            assertThat(h.deadLetters.readValuesToList()).singleElement().satisfies(l -> {
                assertThat(l.getReason()).isEqualTo(DeadLetterReason.MALFORMED_RECORD);
                assertThat(l.getCellId()).isEqualTo("b");
                assertThat(l.getMessage()).contains("ahead of this service's clock");
            });
            ModelMetrics window = h.latestModelMetrics().get(M1 + "@" + T0);
            assertThat(window).as("the current window is still there").isNotNull();
            assertThat(window.getCount()).as("with both cells").isEqualTo(2);
        }
    }

    @Test
    void recordsNotKeyedByTheirSlideAreDeadLetteredRatherThanMissTheirPartners() {
        try (TopologyHarness h = harness()) {
            h.predict(prediction("s9", "a", 0.9));
            h.labels.pipeInput("a", label("s9", "a", true)); // keyed by the cell: another partition in general
            h.labels.pipeInput((String) null, label("s9", "a", true));
            h.tick();
            assertThat(h.deadLetters.readValuesToList()).hasSize(2).allSatisfy(l -> {
                assertThat(l.getReason()).isEqualTo(DeadLetterReason.INVALID_IDENTIFIER);
                assertThat(l.getMessage()).contains("not its slideId 's9'");
            });
            SlideResult slide = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s9");
            assertThat(slide.getLabelledCells()).isZero();
        }
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicAndTheStreamGoesOn() {
        try (TopologyHarness h = harness()) {
            byte[] json = "{\"slideId\":\"s4\"}".getBytes();
            h.rawPredictions.pipeInput("s4", json);
            byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
            h.rawPredictions.pipeInput("s4", unknownSchema);
            byte[] huge = new byte[1_100_000]; // a dead letter carrying it would be over Kafka's 1 MiB limit
            huge[0] = '{';
            h.rawPredictions.pipeInput("s4", huge);
            h.predict(prediction("s4", "nan", Double.NaN));
            h.rawPredictions.pipeInput("s4", (byte[]) null);
            h.predict(prediction("s4", "ok", 0.7));
            h.tick();

            List<DeadLetter> letters = h.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.NOT_WIRE_FORMAT,
                    DeadLetterReason.UNKNOWN_SCHEMA, DeadLetterReason.NOT_WIRE_FORMAT,
                    DeadLetterReason.MALFORMED_RECORD, DeadLetterReason.EMPTY_PAYLOAD);
            DeadLetter first = letters.get(0);
            assertThat(first.getService()).isEqualTo("metrics");
            assertThat(first.getSourceTopic()).isEqualTo("cells.predictions");
            assertThat(first.getSlideId()).isEqualTo("s4");
            assertThat(bytes(first.getOriginalValue())).isEqualTo(json);
            assertThat(first.getMessage()).contains("magic byte");
            assertThat(bytes(letters.get(1).getOriginalValue())).isEqualTo(unknownSchema);
            assertThat(letters.get(2).getOriginalValue()).as("too large to carry").isNull();
            assertThat(letters.get(2).getAttributes()).containsEntry(DeadLetters.ORIGINAL_BYTES, "1100000");
            assertThat(letters.get(2).getSourceOffset()).as("where it stays").isNotNull();

            SlideResult slide = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s4");
            assertThat(slide.getCellsClassified()).isEqualTo(1);
        }
    }

    @Test
    void predictedAndLabelledParasitaemiaWithTheErrorOnLabelledCells() {
        try (TopologyHarness h = harness()) {
            for (int i = 0; i < 10; i++) {
                h.predict(prediction("s5", "c" + i, i < 2 ? 0.9 : 0.1)); // 2 of 10 predicted parasitized
            }
            // Labels for 5 cells (c0..c4): c0 and c2 parasitized. On those 5, predicted 2/5 (c0, c1), labelled 2/5.
            // A label for a cell without a prediction counts in the labelled share only.
            for (int i = 0; i < 5; i++) {
                h.label(label("s5", "c" + i, i == 0 || i == 2));
            }
            h.label(label("s5", "unseen", true));
            h.tick();
            SlideResult r = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s5");
            assertThat(r.getParasitaemiaPct()).isCloseTo(20.0, within(1e-9));
            assertThat(r.getLabelledCells()).isEqualTo(6);
            assertThat(r.getLabelledParasitized()).isEqualTo(3);
            assertThat(r.getLabelledParasitaemiaPct()).isCloseTo(50.0, within(1e-9));
            assertThat(r.getParasitaemiaErrorPp()).isCloseTo(0.0, within(1e-9));
            h.label(label("s5", "c2", false)); // corrected: now labelled 1/5 on the joined cells
            h.tick();
            r = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s5");
            assertThat(r.getParasitaemiaErrorPp()).isCloseTo(40.0 - 20.0, within(1e-9));
        }
    }

    @Test
    void theSlideAwareParasitaemiaTakesTheSlideAsContext() {
        try (TopologyHarness h = harness()) {
            // an uninfected patient's slide: 49 clearly uninfected cells and one the model calls parasitized
            for (int i = 0; i < 50; i++) {
                h.predict(prediction("s6", "c" + i, i == 0 ? 0.7 : 0.05));
            }
            h.tick();
            SlideResult r = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s6");
            assertThat(r.getParasitaemiaPct()).isCloseTo(2.0, within(1e-9));
            assertThat(r.getSlideAwareParasitaemiaPct()).isZero(); // the borderline cell is not counted
            assertThat(r.getSlideAwareErrorPp()).isNull(); // nothing labelled yet
            for (int i = 0; i < 50; i++) {
                h.label(label("s6", "c" + i, false));
            }
            h.tick();
            r = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s6");
            assertThat(r.getParasitaemiaErrorPp()).isCloseTo(2.0, within(1e-9));
            assertThat(r.getSlideAwareErrorPp()).isCloseTo(r.getSlideAwareParasitaemiaPct(), within(1e-9));

            // a heavily infected slide: its one borderline cell weighs more than the model alone says
            for (int i = 0; i < 20; i++) {
                h.predict(prediction("s7", "c" + i, i == 0 ? 0.45 : i < 15 ? 0.95 : 0.05));
            }
            h.tick();
            r = TopologyHarness.latestByKey(h.runningSlides.readKeyValuesToList()).get("s7");
            assertThat(r.getParasitaemiaPct()).isCloseTo(70.0, within(1e-9));
            assertThat(r.getSlideAwareParasitaemiaPct()).isCloseTo(75.0, within(1e-9)); // the 0.45 cell counts
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static Map<String, ModelMetrics> withoutTimes(Map<String, ModelMetrics> metrics) {
        Map<String, ModelMetrics> out = new TreeMap<>();
        metrics.forEach((k, v) -> out.put(k, ModelMetrics.newBuilder(v).setUpdatedAt(Instant.EPOCH).build()));
        return out;
    }

    private static SlideResult withoutTimes(SlideResult r) {
        return SlideResult.newBuilder(r).setUpdatedAt(Instant.EPOCH).build();
    }
}
