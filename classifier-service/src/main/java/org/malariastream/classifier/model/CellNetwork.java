package org.malariastream.classifier.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The network: a TorchScript MobileNetV2 feature extractor ({@code [N,3,H,W] → [N,1280]}) followed
 * by a DJL {@link Linear} layer with 2 outputs (index 1 = parasitized). Training and serving both
 * build it here.
 */
public final class CellNetwork implements AutoCloseable {

    /** Width of the backbone's pooled features. */
    public static final int FEATURES = 1280;
    /** The backbone's last stage ({@code features.18}, the 1x1 convolution to {@link #FEATURES} channels). */
    public static final int LAST_STAGE = 18;
    /** {@link #setTrainableFrom} this freezes the whole backbone. */
    public static final int ALL_FROZEN = LAST_STAGE + 1;
    /** Name prefix of the backbone's parameters; the inverted-residual stage follows: {@code features.7.conv...}. */
    private static final String STAGE_PREFIX = "features.";

    private final Model backboneModel;
    private final Model model;
    private final Linear head;

    private CellNetwork(Model backboneModel, Model model, Linear head) {
        this.backboneModel = backboneModel;
        this.model = model;
        this.head = head;
    }

    /**
     * Loads the TorchScript backbone at {@code backboneFile} and adds a head, initialised from
     * {@code headWeights} when given (the {@code head.f32} layout), else randomly by DJL.
     *
     * @param trainable whether the backbone's parameters may be trained (loaded with gradients)
     */
    public static CellNetwork load(Path backboneFile, float[] headWeights, boolean trainable)
            throws IOException {
        return load(backboneFile, headWeights, trainable, null);
    }

    /** As {@link #load(Path, float[], boolean)}, on the given device (null: the engine's default). */
    public static CellNetwork load(Path backboneFile, float[] headWeights, boolean trainable, Device device)
            throws IOException {
        return load(backboneFile, headWeights, trainable, device, 0f);
    }

    /**
     * As {@link #load(Path, float[], boolean, Device)}, with {@code dropout} (0: none) of the pooled features
     * before the head; it acts in training forwards only, so serving never needs it.
     */
    public static CellNetwork load(Path backboneFile, float[] headWeights, boolean trainable, Device device,
            float dropout) throws IOException {
        if (!Files.isRegularFile(backboneFile)) {
            throw new IOException("backbone not found: " + backboneFile.toAbsolutePath());
        }
        Model backboneModel = Model.newInstance("backbone", device, "PyTorch");
        try {
            backboneModel.load(backboneFile, null, Map.of("trainParam", String.valueOf(trainable)));
        } catch (MalformedModelException | RuntimeException e) {
            backboneModel.close();
            throw new IOException("cannot load TorchScript backbone " + backboneFile + ": " + e.getMessage(), e);
        }
        Linear head = Linear.builder().setUnits(2).build();
        SequentialBlock net = new SequentialBlock().add(backboneModel.getBlock());
        if (dropout > 0) {
            net.add(Dropout.builder().optRate(dropout).build());
        }
        net.add(head);
        Model model = Model.newInstance("malaria-cell", device, "PyTorch");
        model.setBlock(net);
        head.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, FEATURES));
        CellNetwork network = new CellNetwork(backboneModel, model, head);
        if (headWeights != null) {
            network.setHeadWeights(headWeights);
        }
        return network;
    }

    /** The DJL model holding the whole network (its block is {@code backbone → head}). */
    public Model model() {
        return model;
    }

    /** The TorchScript backbone block. */
    public Block backbone() {
        return backboneModel.getBlock();
    }

    public Linear head() {
        return head;
    }

    /** The backbone stage a parameter belongs to ({@code features.N...} → N), or -1. */
    public static int stageOf(String parameterName) {
        if (!parameterName.startsWith(STAGE_PREFIX)) {
            return -1;
        }
        int end = parameterName.indexOf('.', STAGE_PREFIX.length());
        try {
            return Integer.parseInt(parameterName.substring(STAGE_PREFIX.length(), end < 0 ? parameterName.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Freezes the backbone stages below {@code firstTrainableStage} and unfreezes the rest ({@link #ALL_FROZEN}: all of them). */
    public void setTrainableFrom(int firstTrainableStage) {
        for (var entry : backbone().getParameters()) {
            entry.getValue().freeze(stageOf(entry.getKey()) < firstTrainableStage);
        }
    }

    /** Head weights in the {@code head.f32} layout: weight [2, FEATURES] row-major, then bias [2]. */
    public float[] headWeights() {
        float[] w = headParameter("weight").getArray().toFloatArray();
        float[] b = headParameter("bias").getArray().toFloatArray();
        float[] out = new float[w.length + b.length];
        System.arraycopy(w, 0, out, 0, w.length);
        System.arraycopy(b, 0, out, w.length, b.length);
        return out;
    }

    public void setHeadWeights(float[] weights) {
        if (weights.length != 2 * FEATURES + 2) {
            throw new IllegalArgumentException("head needs " + (2 * FEATURES + 2) + " floats, got " + weights.length);
        }
        NDArray w = headParameter("weight").getArray();
        NDArray b = headParameter("bias").getArray();
        w.set(FloatBuffer.wrap(weights, 0, 2 * FEATURES).slice());
        b.set(FloatBuffer.wrap(weights, 2 * FEATURES, 2).slice());
    }

    private Parameter headParameter(String name) {
        Parameter p = head.getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("head has no " + name);
        }
        return p;
    }

    /** Writes the (fine-tuned) backbone as a TorchScript file that PyTorch and DJL both load. */
    public void writeBackbone(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            JniUtils.writeModule((PtSymbolBlock) backboneModel.getBlock(), os, false);
        }
    }

    public static void writeHead(Path file, float[] weights) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(weights);
        Files.write(file, buf.array());
    }

    public static float[] readFloats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 4 != 0) {
            throw new IOException(file + " is not a float32 file (" + bytes.length + " bytes)");
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public void close() {
        model.close();
        backboneModel.close();
    }
}
