package org.malariastream.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.testutil.SharedData;

class BackboneTestVectorTest {

    @Test
    void referenceInputGivesReferenceFeaturesThroughOurLoadingCode() throws Exception {
        float[] input = CellNetwork.readFloats(SharedData.backboneDir().resolve("ref_chelsea_input_1x3x224x224.f32"));
        float[] expected = CellNetwork.readFloats(SharedData.backboneDir().resolve("ref_chelsea_features_1280.f32"));
        assertThat(input).hasSize(3 * 224 * 224);
        assertThat(expected).hasSize(CellNetwork.FEATURES);

        try (CellNetwork network = CellNetwork.load(SharedData.backbone(), null, false);
                NDManager m = network.model().getNDManager().newSubManager()) {
            NDArray x = m.create(input, new Shape(1, 3, 224, 224));
            float[] features = network.backbone().forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            assertThat(features).hasSize(CellNetwork.FEATURES);
            double maxDiff = 0;
            for (int i = 0; i < features.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(features[i] - expected[i]));
            }
            assertThat(maxDiff).isLessThan(1e-4);
        }
    }

    @Test
    void stageOfParsesBackboneParameterNames() {
        assertThat(CellNetwork.stageOf("features.0.0.weight")).isEqualTo(0);
        assertThat(CellNetwork.stageOf("features.17.conv.1.0.bias")).isEqualTo(17);
        assertThat(CellNetwork.stageOf("weight")).isEqualTo(-1);
    }
}
