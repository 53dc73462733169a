package org.malariastream.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void aModelJsonWithoutAFieldThatHasNoDefaultIsRefusedNamingItRatherThanReadAsZero(@TempDir Path dir)
            throws Exception {
        ObjectNode complete = ModelSpec.JSON.valueToTree(ModelSpec.inTraining("t", 32, null, false));
        Path file = dir.resolve("model.json");
        Files.writeString(file, complete.toString());
        assertThat(ModelSpec.read(file).threshold()).isEqualTo(0.5);

        complete.remove("threshold");
        Files.writeString(file, complete.toString());
        assertThatThrownBy(() -> ModelSpec.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("lacks threshold");

        complete.put("threshold", 1.5);
        complete.remove("mean");
        Files.writeString(file, complete.toString());
        assertThatThrownBy(() -> ModelSpec.read(file)).hasMessageContaining("lacks mean");
        complete.putArray("mean").add(0.5).add(0.5).add(0.5);
        Files.writeString(file, complete.toString());
        assertThatThrownBy(() -> ModelSpec.read(file)).hasMessageContaining("threshold must lie between 0 and 1");
    }

    private static float topLeftRed(ImagePreprocessor pre, RgbImage image) {
        float[] out = new float[pre.floatsPerImage()];
        pre.toTensor(image, out, 0);
        return out[0];
    }
}
