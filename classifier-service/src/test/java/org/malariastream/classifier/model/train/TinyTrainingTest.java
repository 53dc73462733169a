package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.DecodedCells;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.testutil.SharedData;

class TinyTrainingTest {

    @TempDir
    Path tmp;

    private static List<DecodedCell> cells(int perClass) throws Exception {
        CellDataset all = CellDataset.scan(SharedData.images());
        List<CellFile> files = new ArrayList<>();
        for (String cls : List.of("Parasitized", "Uninfected")) {
            List<CellFile> of = all.files().stream().filter(f -> f.label().directory().equals(cls)).toList();
            for (int i = 0; i < perClass; i++) {
                files.add(of.get(i * (of.size() / perClass)));
            }
        }
        return DecodedCells.decode(all.subset(files), 2, null).cells();
    }

    @Test
    void aFewDozenRealCellsTrainDownTheLossAndTheSavedModelReloadsIdentically() throws Exception {
        List<DecodedCell> train = cells(20);
        boolean[] y = CellTrainer.labelsOf(train);
        int size = 64;
        TrainConfig config = new TrainConfig(size, 8, 1, 2, 3e-3f, 1e-3f, 0.5f, 12, 0.0f, 5, 0f, Augmentation.NONE, 3);
        ModelSpec spec = new ModelSpec("t", "0", "backbone.pt", "head.f32", CellNetwork.FEATURES, size,
                ImagePreprocessor.IMAGENET_MEAN, ImagePreprocessor.IMAGENET_STD, 0.5, 1);

        double before;
        ai.djl.engine.Engine.getInstance().setRandomSeed(3);
        try (CellNetwork untrained = CellNetwork.load(SharedData.backbone(), null, false)) {
            before = CellTrainer.logLoss(CellTrainer.predict(untrained, spec, train), y);
        }

        CellTrainer.Result result = new CellTrainer(config, SharedData.backbone(), false).train(train, List.of(), null);
        try (CellNetwork network = result.network()) {
            assertThat(result.history()).hasSize(3);
            float[] p = CellTrainer.predict(network, spec, train);
            double after = CellTrainer.logLoss(p, y);
            assertThat(after).as("training-set log loss after vs before (%.3f)", before).isLessThan(before * 0.7);
            assertThat(result.history().get(2).trainLoss()).isLessThan(result.history().get(0).trainLoss());

            network.writeBackbone(tmp.resolve("backbone.pt"));
            CellNetwork.writeHead(tmp.resolve("head.f32"), network.headWeights());
            ModelSpec.JSON.writeValue(tmp.resolve("model.json").toFile(), spec);
            try (CellModel reloaded = CellModel.load(tmp); CellClassifier c = reloaded.newClassifier()) {
                float[] q = c.probabilities(CellTrainer.images(train));
                for (int i = 0; i < p.length; i++) {
                    assertThat(q[i]).isCloseTo(p[i], org.assertj.core.api.Assertions.within(1e-4f));
                }
            }
        }
    }

    @Test
    void withAWeightAverageValidationJudgesAndTheModelKeepsTheAveragedWeights() throws Exception {
        List<DecodedCell> all = cells(16);
        List<DecodedCell> train = new ArrayList<>();
        List<DecodedCell> val = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 4 == 0 ? val : train).add(all.get(i));
        }
        int size = 64;
        // no head stage: every epoch fine-tunes and keeps an average
        TrainConfig config = new TrainConfig(size, 8, 0, 3, 3e-3f, 1e-3f, 0.5f, 12, 0.0f, 5, 0.9f, Augmentation.NONE, 3);
        ModelSpec spec = new ModelSpec("t", "0", "-", "-", CellNetwork.FEATURES, size,
                ImagePreprocessor.IMAGENET_MEAN, ImagePreprocessor.IMAGENET_STD, 0.5, 1);

        CellTrainer.Result result = new CellTrainer(config, SharedData.backbone(), false).train(train, val, null);
        try (CellNetwork network = result.network()) {
            List<EpochStats> h = result.history();
            assertThat(h).hasSize(3).allSatisfy(s -> assertThat(s.averagedValLoss()).isFinite());
            assertThat(h.get(2).averagedValLoss()).isNotEqualTo(h.get(2).valLoss());
            double judged = h.get(result.bestEpoch() - 1).averagedValLoss();
            assertThat(h).allSatisfy(s -> assertThat(s.averagedValLoss()).isGreaterThanOrEqualTo(judged));
            double kept = CellTrainer.logLoss(CellTrainer.predict(network, spec, val), CellTrainer.labelsOf(val));
            assertThat(kept).as("validation loss of the kept weights").isCloseTo(judged, within(1e-4));

            assertThat(result.unaveraged()).as("the best un-averaged weights, for paired scoring").isNotNull();
            float[] averagedHead = network.headWeights();
            CellTrainer.restore(network, result.unaveraged());
            assertThat(network.headWeights()).isNotEqualTo(averagedHead);
            double unaveraged = CellTrainer.logLoss(CellTrainer.predict(network, spec, val), CellTrainer.labelsOf(val));
            double bestLive = h.stream().mapToDouble(EpochStats::valLoss).min().orElseThrow();
            assertThat(unaveraged).isCloseTo(bestLive, within(1e-4));
        }
    }

    @Test
    void aHeadStageThenFineTuningTrainsTheSameWeightsOnEveryRunOfASeed() throws Exception {
        // the backbone joins the optimizer in stage 2, after the head; with DJL's Adam its bias correction then
        // depended on the order the trainer visited parameters in, which changes from run to run
        List<DecodedCell> train = cells(8);
        TrainConfig config = new TrainConfig(64, 8, 1, 1, 3e-3f, 1e-3f, 0.5f, 0, 0.1f, 5, 0f, Augmentation.NONE, 3);
        float[] first = headAfter(config, train);
        for (int run = 2; run <= 3; run++) {
            assertThat(headAfter(config, train)).as("run %d", run).isEqualTo(first);
        }
    }

    private static float[] headAfter(TrainConfig config, List<DecodedCell> train) throws Exception {
        try (CellNetwork network = new CellTrainer(config, SharedData.backbone(), false).train(train, List.of(), null)
                .network()) {
            return network.headWeights();
        }
    }

    @Test
    void droppingTheHardestCellsChangesTrainingOnlyOnceABatchHasCellsToDrop() throws Exception {
        List<DecodedCell> train = cells(8);
        float[] plain = headAfterTraining(train, 0f);
        // 1% of a batch of 8 rounds to no cell at any point of the ramp: the run is the recipe's, bit for bit
        assertThat(headAfterTraining(train, 0.01f)).isEqualTo(plain);
        // 25% leaves up to 2 of 8 cells out of the gradient once the ramp is under way
        assertThat(headAfterTraining(train, 0.25f)).isNotEqualTo(plain);
    }

    private static float[] headAfterTraining(List<DecodedCell> train, float dropHardest) throws Exception {
        try (CellNetwork network = tinyRun(train, 14, 1f, dropHardest)) {
            return network.headWeights();
        }
    }

    @Test
    void weightDecayShrinksTheWeightsAndDropoutActsWhileTrainingOnly() throws Exception {
        List<DecodedCell> train = cells(8);
        float[] plain = headAfterTraining(train, 0f);
        // AdamW: each step also takes rate x 100 (up to 10%) off every weight; plain Adam's steps are ~1e-3 a weight
        try (CellNetwork network = tinyRun(train, 14, 1f, 0f, 0f, 100f, 0f, 0f)) {
            assertThat(norm(network.headWeights())).isLessThan(0.9 * norm(plain));
        }
        ModelSpec spec = new ModelSpec("t", "0", "-", "-", CellNetwork.FEATURES, 64,
                ImagePreprocessor.IMAGENET_MEAN, ImagePreprocessor.IMAGENET_STD, 0.5, 1);
        try (CellNetwork network = tinyRun(train, 14, 1f, 0f, 0.5f, 0f, 0f, 0f)) {
            assertThat(network.headWeights()).as("half the features dropped in training forwards").isNotEqualTo(plain);
            assertThat(CellTrainer.predict(network, spec, train)).as("no dropout when predicting")
                    .isEqualTo(CellTrainer.predict(network, spec, train));
        }
    }

    @Test
    void sharpnessAwareStepsTrainOtherWeightsThanPlainStepsAndRepeatWithTheSeed() throws Exception {
        // the gradient was taken at moved weights, and the weights moved back before each step
        assertTrainsOtherWeightsAndRepeats(0.01f, 0f);
    }

    @Test
    void theGeneralisedCrossEntropyTrainsOtherWeightsThanCrossEntropyAndRepeatsWithTheSeed() throws Exception {
        assertTrainsOtherWeightsAndRepeats(0f, 0.7f);
    }

    /** A tiny run with sharpness-aware steps or the generalised loss: other head weights than plain, the same twice. */
    private static void assertTrainsOtherWeightsAndRepeats(float samRho, float gceQ) throws Exception {
        List<DecodedCell> train = cells(8);
        float[] plain = headAfterTraining(train, 0f);
        float[] changed;
        try (CellNetwork network = tinyRun(train, 14, 1f, 0f, 0f, 0f, samRho, gceQ)) {
            changed = network.headWeights();
        }
        assertThat(changed).as("the option reached the steps").isNotEqualTo(plain);
        try (CellNetwork network = tinyRun(train, 14, 1f, 0f, 0f, 0f, samRho, gceQ)) {
            assertThat(network.headWeights()).as("a second run with the seed").isEqualTo(changed);
        }
    }

    private static double norm(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void aStageRateDecayMovesTheLowerStageLessAndLeavesTheLastStagesRate() throws Exception {
        List<DecodedCell> train = cells(8);
        double[] plain = meanShiftOfStages17And18(train, 1f);
        double[] decayed = meanShiftOfStages17And18(train, 0.1f);
        assertThat(plain[0]).isPositive();
        // Adam steps scale with the rate: stage 17 at a tenth of stage 18's rate moves about a tenth as far
        assertThat(decayed[0] / plain[0]).isBetween(0.03, 0.3);
        assertThat(decayed[1] / plain[1]).isBetween(0.6, 1.6);
    }

    /** Mean absolute weight change of backbone stages 17 and 18 in a tiny run that fine-tunes only those. */
    private static double[] meanShiftOfStages17And18(List<DecodedCell> train, float stageLrDecay) throws Exception {
        double[] sum = new double[2];
        long[] count = new long[2];
        try (CellNetwork before = CellNetwork.load(SharedData.backbone(), null, false);
                CellNetwork after = tinyRun(train, 17, stageLrDecay, 0f)) {
            var initial = before.backbone().getParameters();
            for (var p : after.backbone().getParameters()) {
                int stage = CellNetwork.stageOf(p.getKey());
                if (stage < 17) {
                    continue;
                }
                float[] w = p.getValue().getArray().toFloatArray();
                float[] w0 = initial.get(p.getKey()).getArray().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    sum[stage - 17] += Math.abs(w[i] - w0[i]);
                }
                count[stage - 17] += w.length;
            }
        }
        return new double[] {sum[0] / count[0], sum[1] / count[1]};
    }

    private static CellNetwork tinyRun(List<DecodedCell> train, int trainableFrom, float stageLrDecay, float dropHardest)
            throws Exception {
        return tinyRun(train, trainableFrom, stageLrDecay, dropHardest, 0f, 0f, 0f, 0f);
    }

    /** The network of 2 fine-tuning epochs at 64 px without validation, from stage {@code trainableFrom} up. */
    private static CellNetwork tinyRun(List<DecodedCell> train, int trainableFrom, float stageLrDecay, float dropHardest,
            float dropout, float weightDecay, float samRho, float gceQ) throws Exception {
        TrainConfig config = new TrainConfig(64, 8, 0, 2, 3e-3f, 1e-3f, 0.5f, stageLrDecay, trainableFrom, 0.1f, 5, 0f,
                Augmentation.NONE, 0f, dropHardest, dropout, weightDecay, false, samRho, false, false, false, gceQ,
                1.0, 3, 3);
        return new CellTrainer(config, SharedData.backbone(), false).train(train, List.of(), null).network();
    }
}
