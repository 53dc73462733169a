package org.malariastream.classifier.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;

/**
 * A loaded model artefact (a folder with {@code model.json}, the TorchScript backbone and the head
 * weights). Needs none of the training code. Thread-safe to share; each worker takes its own
 * {@link CellClassifier} from {@link #newClassifier()}, since a DJL predictor is not thread-safe.
 *
 * <pre>{@code
 * try (CellModel model = CellModel.load(Locations.model(null));
 *      CellClassifier classifier = model.newClassifier()) {
 *     List<Prediction> out = classifier.predict(listOfPngBytes);
 * }
 * }</pre>
 */
public final class CellModel implements AutoCloseable {

    public static final String SPEC_FILE = "model.json";

    private final ModelSpec spec;
    private final CellNetwork network;
    private final boolean ownsNetwork;
    private final ImagePreprocessor preprocessor;

    CellModel(ModelSpec spec, CellNetwork network, boolean ownsNetwork) {
        this.spec = spec;
        this.network = network;
        this.ownsNetwork = ownsNetwork;
        this.preprocessor = spec.preprocessor();
    }

    /** Loads the model folder {@code dir} (or the folder of a {@code model.json} given directly) on DJL's default device. */
    public static CellModel load(Path dir) throws IOException {
        return load(dir, (Device) null);
    }

    /**
     * Loads the model on a device named as users name it: {@code auto} (a GPU when DJL finds CUDA libtorch,
     * else the CPU), {@code cpu}, or {@code gpu} (an error when there is none).
     */
    public static CellModel load(Path dir, String device) throws IOException {
        return load(dir, device(device));
    }

    static Device device(String name) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return switch (name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu, but DJL found no CUDA GPU: run with the CUDA"
                            + " libtorch (see README, GPU) or use --device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + name + "': use auto, cpu or gpu");
        };
    }

    /** Loads the model folder on a device. */
    public static CellModel load(Path dir, Device device) throws IOException {
        Path folder = Files.isRegularFile(dir) ? dir.toAbsolutePath().getParent() : dir;
        Path json = folder.resolve(SPEC_FILE);
        if (!Files.isRegularFile(json)) {
            throw new IOException("no " + SPEC_FILE + " in model folder " + folder.toAbsolutePath());
        }
        ModelSpec spec = ModelSpec.read(json);
        float[] head = CellNetwork.readFloats(folder.resolve(spec.head()));
        CellNetwork network = CellNetwork.load(folder.resolve(spec.backbone()), head, false, device);
        network.head().freezeParameters(true);
        return new CellModel(spec, network, true);
    }

    /** Wraps a network that the caller keeps owning (used while training). */
    public static CellModel wrap(ModelSpec spec, CellNetwork network) {
        return new CellModel(spec, network, false);
    }

    /**
     * The same network fed at another input size (MobileNetV2 accepts any size >= 32). For speed
     * measurements only: the weights were trained at {@link ModelSpec#inputSize()}.
     */
    public CellModel atInputSize(int size) {
        ModelSpec s = new ModelSpec(spec.name(), spec.version(), spec.backbone(), spec.head(), spec.features(), size,
                spec.mean(), spec.std(), spec.threshold(), spec.ttaViews(), spec.colourReference(), spec.keepAspect());
        return new CellModel(s, network, false);
    }

    public ModelSpec spec() {
        return spec;
    }

    public double threshold() {
        return spec.threshold();
    }

    /** The preprocessing this model expects; use it to fill batch buffers for {@link CellClassifier#probabilities(CellBatch)}. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public CellNetwork network() {
        return network;
    }

    /** A new classifier with its own predictor and buffers, for one worker thread. */
    public CellClassifier newClassifier() {
        return newClassifier(CellClassifier.DEFAULT_MAX_BATCH);
    }

    public CellClassifier newClassifier(int maxBatch) {
        return new CellClassifier(this, network.model().newPredictor(new CellBatchTranslator()), maxBatch);
    }

    @Override
    public void close() {
        if (ownsNetwork) {
            network.close();
        }
    }
}
