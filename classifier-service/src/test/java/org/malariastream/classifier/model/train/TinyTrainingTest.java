package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;

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
        TrainConfig config = new TrainConfig(size, 8, 1, 2, 3e-3f, 1e-3f, 0.5f, 12, 0.0f, 5, Augmentation.NONE, 3);
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
}
