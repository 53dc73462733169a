package org.malariastream.classifier.model.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.malariastream.classifier.model.CellBatchTranslator;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.TensorBuffer;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;

/**
 * The seed study's recipe, for comparison: the ImageNet backbone frozen, 224 px inputs, no
 * augmentation, a linear softmax head trained with Adam on the pooled features, argmax (0.5)
 * decisions.
 */
public final class SeedRecipe {

    public static final int INPUT_SIZE = 224;
    public static final int EPOCHS = 10;

    private SeedRecipe() {}

    /** Pooled 1280-d features of every cell through the frozen backbone at 224 px. */
    public static float[][] features(List<DecodedCell> cells, Path backbone, Runnable onImage) throws IOException {
        ImagePreprocessor pre = new ImagePreprocessor(INPUT_SIZE);
        int batch = 32;
        float[] buffer = new float[batch * pre.floatsPerImage()];
        float[][] out = new float[cells.size()][];
        TensorBuffer input = new TensorBuffer();
        try (CellNetwork network = CellNetwork.load(backbone, null, false);
                NDManager manager = network.model().getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (int start = 0; start < cells.size(); start += batch) {
                int n = Math.min(batch, cells.size() - start);
                for (int i = 0; i < n; i++) {
                    pre.toTensor(cells.get(start + i).image(), buffer, i);
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = input.wrap(m, buffer, new Shape(n, 3, INPUT_SIZE, INPUT_SIZE));
                    float[] f = network.backbone().forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
                    for (int i = 0; i < n; i++) {
                        out[start + i] = java.util.Arrays.copyOfRange(f, i * CellNetwork.FEATURES, (i + 1) * CellNetwork.FEATURES);
                        if (onImage != null) {
                            onImage.run();
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Trains the linear head on {@code trainX} and returns P(parasitized) for {@code testX}. */
    public static float[] fitAndPredict(float[][] trainX, boolean[] trainY, float[][] testX, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        int batch = 64;
        int d = CellNetwork.FEATURES;
        try (Model model = Model.newInstance("seed-recipe-head", "PyTorch")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            DefaultTrainingConfig tc = new DefaultTrainingConfig(new SoftmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            Random random = new Random(seed);
            int[] order = new int[trainX.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            float[] x = new float[Math.max(batch, 256) * d];
            float[] y = new float[batch];
            TensorBuffer xBuffer = new TensorBuffer();
            TensorBuffer yBuffer = new TensorBuffer();
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(1, d));
                CellTrainer.skipGradientSanityCheck(trainer);
                for (int epoch = 0; epoch < EPOCHS; epoch++) {
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    for (int start = 0; start < order.length; start += batch) {
                        int n = Math.min(batch, order.length - start);
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(trainX[order[start + i]], 0, x, i * d, d);
                            y[i] = trainY[order[start + i]] ? 1 : 0;
                        }
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDArray xs = xBuffer.wrap(m, x, new Shape(n, d));
                            NDArray ys = yBuffer.wrap(m, y, new Shape(n));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray loss = trainer.getLoss().evaluate(new NDList(ys), trainer.forward(new NDList(xs)));
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                }
                float[] out = new float[testX.length];
                for (int start = 0; start < testX.length; start += 256) {
                    int n = Math.min(256, testX.length - start);
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(testX[start + i], 0, x, i * d, d);
                    }
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray logits = trainer.evaluate(new NDList(xBuffer.wrap(m, x, new Shape(n, d)))).singletonOrThrow();
                        System.arraycopy(CellBatchTranslator.parasitizedProbability(logits), 0, out, start, n);
                    }
                }
                return out;
            }
        }
    }
}
