package org.malariastream.classifier.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.ParameterTracker;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.TensorBuffer;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.eval.Metrics;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.model.preprocess.RgbImage;

/**
 * Transfer learning of the MobileNetV2 backbone plus a new 2-class head.
 *
 * <ol>
 *   <li>Stage 1 ({@code headEpochs}): backbone frozen, only the head learns, constant rate.
 *   <li>Stage 2 ({@code epochs}): the backbone from stage {@code trainableFrom} up learns too, at
 *       {@code backboneLrFactor} times the head's rate (less for lower stages with {@code stageLrDecay} below 1); half an epoch of linear warm-up then a cosine
 *       decay to 1% of the peak. After each epoch the validation loss decides: the best epoch's
 *       weights are kept, and training stops after {@code patience} epochs without improvement.
 *       With {@code emaDecay > 0} a moving average of the weights ({@link WeightAverage}) is kept
 *       through stage 2, and it is the averaged weights that validation judges and the model keeps.
 * </ol>
 *
 * Adam counting one step for all parameters, or each parameter's own with {@code adamOwnSteps}
 * ({@link StepCountedAdam}), soft-label cross-entropy with label smoothing, augmented (optionally
 * {@link Mixup mixed}) batches, optionally {@link LossTruncation truncated} to the cells with the smaller losses in
 * stage 2, optionally {@link SharpnessAware sharpness-aware} (each gradient taken a second time, at moved weights).
 * Deterministic for a seed
 * (and a fixed number of intra-op threads). Each batch's arrays live in a sub-manager closed after
 * the step, so memory stays flat.
 */
public final class CellTrainer {

    private final TrainConfig config;
    private final Path backbone;
    private final boolean showProgress;

    public CellTrainer(TrainConfig config, Path backbone, boolean showProgress) {
        this.config = config;
        this.backbone = backbone;
        this.showProgress = showProgress;
    }

    /**
     * The trained network (caller closes it), the per-epoch history and the best epoch. When a weight
     * average was kept, {@code unaveraged} holds the best un-averaged weights of the same run (by
     * validation loss, in the layout of {@link #restore}), so the average's gain can be measured on
     * one training run; else it is null.
     */
    public record Result(CellNetwork network, List<EpochStats> history, int bestEpoch, double trainSeconds,
            Map<String, float[]> unaveraged) {}

    /** Learning rate per parameter: the schedule's current value times the parameter's factor. */
    private static final class Rates implements ParameterTracker {
        final Map<String, Float> factor = new HashMap<>();
        float current;

        @Override
        public float getNewValue(String parameterId, int numUpdate) {
            return current * factor.getOrDefault(parameterId, 1f);
        }
    }

    public Result train(List<DecodedCell> train, List<DecodedCell> validation, Consumer<EpochStats> onEpoch)
            throws IOException {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) config.seed());
        CellNetwork network = CellNetwork.load(backbone, null, true, null, config.dropout());
        try {
            return run(network, train, validation, onEpoch, started);
        } catch (RuntimeException | IOException e) {
            network.close();
            throw e;
        }
    }

    private Result run(CellNetwork network, List<DecodedCell> train, List<DecodedCell> validation,
            Consumer<EpochStats> onEpoch, long started) throws IOException {
        int size = config.inputSize();
        int batch = config.batchSize();
        ModelSpec spec = config.evaluationSpec("training");
        ImagePreprocessor pre = spec.preprocessor();
        Rates rates = new Rates();
        for (var p : network.backbone().getParameters()) {
            rates.factor.put(p.getValue().getId(), config.backboneRateFactor(CellNetwork.stageOf(p.getKey())));
        }
        StepCountedAdam optimizer = new StepCountedAdam(rates, config.weightDecay(), config.adamOwnSteps());
        float eps = config.labelSmoothing();
        CellLoss loss = new CellLoss(config.gceQ());
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()});
        List<EpochStats> history = new ArrayList<>();
        Map<String, float[]> best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        int stepsPerEpoch = (train.size() + batch - 1) / batch;
        int totalEpochs = config.headEpochs() + config.epochs();
        float[] buffer = new float[batch * pre.floatsPerImage()];
        float[] labels = new float[batch * 2];
        Random random = new Random(config.seed());
        TensorBuffer xBuffer = new TensorBuffer();
        TensorBuffer yBuffer = new TensorBuffer();
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Mixup mixup = config.mixupAlpha() > 0 ? new Mixup(config.mixupAlpha()) : null;
        LossTruncation truncation = config.dropHardest() > 0
                ? new LossTruncation(config.dropHardest(), Math.max(1, config.epochs()) / 2.0) : null;
        SharpnessAware sam = config.samRho() > 0 ? new SharpnessAware(config.samRho(), config.samAdaptive()) : null;
        List<Parameter> trainable = network.model().getBlock().getParameters().values();
        boolean averaging = config.emaDecay() > 0;
        WeightAverage average = null;
        Map<String, float[]> unaveraged = null;
        double unaveragedLoss = Double.POSITIVE_INFINITY;
        try (Trainer trainer = network.model().newTrainer(tc)) {
            trainer.initialize(new Shape(1, 3, size, size));
            skipGradientSanityCheck(trainer);
            for (int epoch = 1; epoch <= totalEpochs; epoch++) {
                boolean headStage = epoch <= config.headEpochs();
                int fineEpoch = epoch - config.headEpochs(); // 1-based within stage 2
                network.setTrainableFrom(headStage ? CellNetwork.ALL_FROZEN : config.trainableFrom());
                if (averaging && !headStage && average == null) {
                    average = new WeightAverage(network.model().getBlock().getParameters().values(), config.emaDecay());
                }
                shuffle(order, random);
                long t0 = System.nanoTime();
                double lossSum = 0;
                int seen = 0;
                String task = String.format("epoch %d/%d %s", epoch, totalEpochs, headStage ? "head" : "fine-tune");
                try (ProgressBar bar = progressBar(task, stepsPerEpoch)) {
                    for (int step = 0; step < stepsPerEpoch; step++) {
                        int from = step * batch;
                        int n = Math.min(batch, order.length - from);
                        for (int i = 0; i < n; i++) {
                            DecodedCell cell = train.get(order[from + i]);
                            pre.toTensor(cell.image(), config.augmentation().sample(random), buffer, i);
                            boolean positive = cell.file().label().isParasitized();
                            labels[2 * i] = positive ? eps / 2 : 1 - eps / 2;
                            labels[2 * i + 1] = positive ? 1 - eps / 2 : eps / 2;
                        }
                        if (mixup != null) {
                            mixup.apply(buffer, labels, n, pre.floatsPerImage(), random);
                        }
                        rates.current = headStage ? config.headLr()
                                : (float) scheduledRate(fineEpoch - 1 + (double) step / stepsPerEpoch);
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDArray x = xBuffer.wrap(m, buffer, new Shape(n, 3, size, size));
                            NDArray y = yBuffer.wrap(m, labels, new Shape(n, 2));
                            int drop = truncation == null || headStage ? 0
                                    : truncation.dropped(n, fineEpoch - 1 + (double) step / stepsPerEpoch);
                            lossSum += backward(trainer, loss, x, y, drop);
                            if (sam != null) {
                                sam.ascend(trainable);
                                backward(trainer, loss, x, y, drop);
                                sam.descend();
                            }
                            optimizer.nextStep();
                            trainer.step();
                        }
                        if (average != null) {
                            average.update();
                        }
                        seen += n;
                        if (bar != null) {
                            bar.step();
                            bar.setExtraMessage(String.format("loss %.4f", lossSum / seen));
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, float[]> averaged = average == null ? null : average.snapshot();
                Validation live = Validation.NONE, avg = Validation.NONE;
                if (!validation.isEmpty()) {
                    live = Validation.of(network, spec, validation);
                    if (averaged != null) {
                        Map<String, float[]> liveWeights = snapshot(network);
                        restore(network, averaged);
                        avg = Validation.of(network, spec, validation);
                        restore(network, liveWeights);
                    }
                }
                double valLoss = live.loss(), avgLoss = avg.loss();
                EpochStats stats = new EpochStats(epoch, headStage ? "head" : "fine-tune", lossSum / seen,
                        valLoss, live.accuracy(), live.auc(), avgLoss, avg.accuracy(), avg.auc(), rates.current,
                        seconds, seen / seconds);
                history.add(stats);
                if (onEpoch != null) {
                    onEpoch.accept(stats);
                }
                if (validation.isEmpty()) {
                    bestEpoch = epoch;
                    best = averaged; // null without an average: the last weights stand
                    continue;
                }
                if (averaging && valLoss < unaveragedLoss) {
                    unaveragedLoss = valLoss;
                    unaveraged = snapshot(network);
                }
                double judged = averaged != null ? avgLoss : valLoss;
                if (judged < bestLoss) {
                    bestLoss = judged;
                    bestEpoch = epoch;
                    best = averaged != null ? averaged : snapshot(network);
                    sinceBest = 0;
                } else if (!headStage && ++sinceBest >= config.patience()) {
                    break;
                }
            }
        } finally {
            if (average != null) {
                average.close();
            }
        }
        if (best != null && (averaging || bestEpoch != history.get(history.size() - 1).epoch())) {
            restore(network, best);
        }
        network.setTrainableFrom(CellNetwork.ALL_FROZEN);
        return new Result(network, history, bestEpoch, (System.nanoTime() - started) / 1e9, unaveraged);
    }

    /**
     * One forward and backward pass of a batch, adding to the trainable parameters' gradients.
     *
     * @param drop the batch's highest-loss cells left out of the gradient ({@link LossTruncation}), 0: none
     * @return the batch's summed loss, over every cell
     */
    private static double backward(Trainer trainer, CellLoss cellLoss, NDArray x, NDArray y, int drop) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            if (drop == 0) {
                NDArray loss = cellLoss.evaluate(new NDList(y), out);
                gc.backward(loss);
                return loss.getFloat() * x.getShape().get(0);
            }
            // the loss of every cell is reported; the gradient comes from the kept ones
            NDArray perCell = cellLoss.perCell(out.singletonOrThrow(), y);
            gc.backward(LossTruncation.keptMean(perCell, drop));
            return perCell.sum().getFloat();
        }
    }

    /** Validation log loss, accuracy at 0.5 and ROC AUC of the network's current weights; NaN without validation. */
    private record Validation(double loss, double accuracy, double auc) {
        static final Validation NONE = new Validation(Double.NaN, Double.NaN, Double.NaN);

        static Validation of(CellNetwork network, ModelSpec spec, List<DecodedCell> cells) {
            float[] p = predict(network, spec, cells);
            boolean[] y = labelsOf(cells);
            Metrics m = Metrics.compute(p, y, null, 0.5);
            return new Validation(logLoss(p, y), m.accuracy(), m.auc());
        }
    }

    /** Stage-2 rate at a (fractional) epoch position: half an epoch of linear warm-up, then cosine to 1%. */
    double scheduledRate(double position) {
        double peak = config.lr();
        double warm = Math.min(0.5, config.epochs() / 2.0);
        if (position < warm) {
            return (float) (peak * (0.1 + 0.9 * position / warm));
        }
        double progress = Math.min(1, (position - warm) / Math.max(1e-9, config.epochs() - warm));
        return (float) (peak * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    private ProgressBar progressBar(String task, int steps) {
        if (!showProgress) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).continuousUpdate()
                .setMaxRenderedLength(110).build();
    }

    /** Fisher-Yates, in place. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** P(parasitized) averaged over the spec's test-time views, through the serving path. */
    static float[] predict(CellNetwork network, ModelSpec spec, List<DecodedCell> cells) {
        try (CellClassifier classifier = CellModel.wrap(spec, network).newClassifier(64)) {
            return classifier.probabilities(images(cells));
        }
    }

    public static List<RgbImage> images(List<DecodedCell> cells) {
        return cells.stream().map(DecodedCell::image).toList();
    }

    public static boolean[] labelsOf(List<DecodedCell> cells) {
        boolean[] y = new boolean[cells.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = cells.get(i).file().label().isParasitized();
        }
        return y;
    }

    /** Mean binary cross-entropy of probabilities, clipped at 1e-6. */
    public static double logLoss(float[] p, boolean[] y) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-6, Math.max(1e-6, y[i] ? p[i] : 1 - p[i]));
            sum -= Math.log(q);
        }
        return sum / p.length;
    }

    /**
     * DJL's {@code Trainer.step()} refuses to run when the gradients of all trainable parameters sum
     * to exactly zero, a sanity check for a forgotten {@code backward()}. With only the 2-class
     * head trainable (stage 1) the sum is zero by symmetry (the two logits' gradients are
     * opposite), so the check would reject a correct first step. Our loop always calls
     * {@code backward()}; mark the check as done.
     */
    static void skipGradientSanityCheck(Trainer trainer) {
        try {
            java.lang.reflect.Field f = Trainer.class.getDeclaredField("gradientsChecked");
            f.setAccessible(true);
            f.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot disable DJL's gradient check: " + e, e);
        }
    }

    /** All weights by parameter id, frozen ones too (a snapshot from the head stage must restore the backbone as it was). */
    private static Map<String, float[]> snapshot(CellNetwork network) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var p : network.model().getBlock().getParameters()) {
            Parameter param = p.getValue();
            out.put(param.getId(), param.getArray().toFloatArray());
        }
        return out;
    }

    /** Sets the parameters {@code saved} names (by parameter id) to its values. */
    static void restore(CellNetwork network, Map<String, float[]> saved) {
        for (var p : network.model().getBlock().getParameters()) {
            float[] values = saved.get(p.getValue().getId());
            if (values != null) {
                p.getValue().getArray().set(FloatBuffer.wrap(values));
            }
        }
    }
}
