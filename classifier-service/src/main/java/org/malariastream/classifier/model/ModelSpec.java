package org.malariastream.classifier.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;

/**
 * What the classifier needs from a model folder's {@code model.json}; the file holds more
 * (metrics, training data digest, the reproduce command) for people.
 *
 * @param name model name
 * @param version model version
 * @param backbone file of the fine-tuned TorchScript backbone, relative to the folder
 * @param head file of the 2-class head: little-endian float32, weight [2, features] row-major then bias [2]
 * @param features backbone output width
 * @param inputSize square input size in pixels
 * @param mean per-channel RGB mean of {@code x/255}
 * @param std per-channel RGB standard deviation
 * @param threshold operating threshold on P(parasitized)
 * @param ttaViews test-time views averaged (1 = none, 2 = + horizontal flip, 4 = quarter turns, 8 = all)
 * @param colourReference absent: colours as decoded; else the RGB colour each image's median foreground colour
 *     is scaled to before resizing ({@code ColourNormalisation})
 * @param keepAspect the crop is letterboxed into the square input rather than stretched ({@code ImagePreprocessor});
 *     absent (false) in models written before the option
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("backbone") String backbone,
        @JsonProperty("head") String head,
        @JsonProperty("features") int features,
        @JsonProperty("input_size") int inputSize,
        @JsonProperty("mean") float[] mean,
        @JsonProperty("std") float[] std,
        @JsonProperty("threshold") double threshold,
        @JsonProperty("tta_views") int ttaViews,
        @JsonProperty("colour_reference") @JsonInclude(JsonInclude.Include.NON_NULL) float[] colourReference,
        @JsonProperty("keep_aspect") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean keepAspect) {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelSpec {
        if (ttaViews == 0) {
            ttaViews = 1;
        }
        if (features == 0) {
            features = CellNetwork.FEATURES;
        }
    }

    /** A model that takes colours as decoded and stretches each crop to the square. */
    public ModelSpec(String name, String version, String backbone, String head, int features, int inputSize,
            float[] mean, float[] std, double threshold, int ttaViews) {
        this(name, version, backbone, head, features, inputSize, mean, std, threshold, ttaViews, null, false);
    }

    /** The spec a model in training is evaluated with: ImageNet normalisation, threshold 0.5, 1 view. */
    public static ModelSpec inTraining(String name, int inputSize, float[] colourReference, boolean keepAspect) {
        return new ModelSpec(name, "0", "-", "-", CellNetwork.FEATURES, inputSize, ImagePreprocessor.IMAGENET_MEAN,
                ImagePreprocessor.IMAGENET_STD, 0.5, 1, colourReference, keepAspect);
    }

    /** This model's preprocessing: one implementation for serving, evaluation and training. */
    public ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(inputSize, mean, std, colourReference, keepAspect);
    }

    /**
     * Reads a model folder's {@code model.json}. A field it lacks would read as 0 or null (a threshold of 0 calls
     * every cell parasitized, silently), so the fields without a default must be there, and sane.
     */
    public static ModelSpec read(Path modelJson) throws IOException {
        JsonNode json = JSON.readTree(modelJson.toFile());
        List<String> missing = Stream.of("name", "version", "backbone", "head", "input_size", "mean", "std",
                "threshold").filter(key -> !json.hasNonNull(key)).toList();
        if (!missing.isEmpty()) {
            throw new IOException(modelJson + " lacks " + String.join(", ", missing)
                    + ": a model's model.json must give them (the model card says what they mean)");
        }
        ModelSpec spec = JSON.treeToValue(json, ModelSpec.class);
        if (spec.mean().length != 3 || spec.std().length != 3) {
            throw new IOException(modelJson + ": mean and std must give 3 values each (R, G, B)");
        }
        if (!(spec.threshold() > 0 && spec.threshold() < 1) || spec.inputSize() <= 0) {
            throw new IOException(modelJson + ": threshold must lie between 0 and 1 and input_size be positive, not "
                    + spec.threshold() + " and " + spec.inputSize());
        }
        return spec;
    }
}
