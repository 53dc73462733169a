package org.malariastream.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.model.preprocess.RgbImage;

class ModelSpecTest {

    @Test
    void aLetterboxingModelRecordsKeepAspectAndItsPreprocessorKeepsTheAspectWhileEarlierModelsReadAsStretching()
            throws Exception {
        ModelSpec letterboxing = ModelSpec.inTraining("t", 32, null, true);
        JsonNode written = ModelSpec.JSON.valueToTree(letterboxing);
        assertThat(written.path("keep_aspect").asBoolean()).isTrue();
        ModelSpec read = ModelSpec.JSON.treeToValue(written, ModelSpec.class);
        assertThat(read.keepAspect()).isTrue();

        JsonNode stretching = ModelSpec.JSON.valueToTree(ModelSpec.inTraining("t", 32, null, false));
        assertThat(stretching.has("keep_aspect")).as("left out when false, as model.json files before it").isFalse();
        ModelSpec readStretching = ModelSpec.JSON.treeToValue(stretching, ModelSpec.class);
        assertThat(readStretching.keepAspect()).isFalse();

        // A white 32 x 16 crop: letterboxed, the top output row is black; stretched, it is white.
        byte[] white = new byte[32 * 16 * 3];
        Arrays.fill(white, (byte) 255);
        RgbImage wide = new RgbImage(32, 16, white);
        float black = -ImagePreprocessor.IMAGENET_MEAN[0] / ImagePreprocessor.IMAGENET_STD[0];
        assertThat(topLeftRed(read.preprocessor(), wide)).isEqualTo(black, within(1e-4f));
        assertThat(topLeftRed(readStretching.preprocessor(), wide)).isGreaterThan(2f);
    }

    private static float topLeftRed(ImagePreprocessor pre, RgbImage image) {
        float[] out = new float[pre.floatsPerImage()];
        pre.toTensor(image, out, 0);
        return out[0];
    }
}
