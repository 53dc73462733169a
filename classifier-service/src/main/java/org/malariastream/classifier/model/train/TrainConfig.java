package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.PatientSplit;
import org.malariastream.classifier.model.preprocess.ColourNormalisation;

/**
 * Hyper-parameters of one training run. Reports record them; a field added here also needs, in
 * {@link #withEarlierDefaults}, the value that runs recorded before it had, or folds of one recipe written
 * before and after it will not {@code cv-merge}.
 *
 * @param inputSize square input size in pixels
 * @param batchSize images per step
 * @param headEpochs stage 1: epochs with the backbone frozen (only the new head learns)
 * @param epochs stage 2: maximum fine-tuning epochs (cosine schedule, early stopping)
 * @param headLr stage-1 learning rate (Adam)
 * @param lr stage-2 peak learning rate of the head
 * @param backboneLrFactor stage-2 learning rate of the backbone relative to {@code lr}
 * @param stageLrDecay 1: off; else each backbone stage below the last learns at this factor times the rate of the
 *     stage above it (layer-wise rate decay: the generic low-level filters move least), see {@link #backboneRateFactor}
 * @param trainableFrom first backbone stage ({@code features.N}, 0..18) fine-tuned in stage 2
 * @param labelSmoothing label smoothing (the set has label noise)
 * @param patience stop after this many epochs without a better validation loss
 * @param emaDecay 0: off; else the decay of a moving average of the weights kept during fine-tuning
 *     ({@link WeightAverage}); validation then judges, and the model keeps, the averaged weights
 * @param augmentation training-time augmentation
 * @param mixupAlpha 0: off; else the {@link Mixup} of training batches with {@code Beta(alpha, alpha)} weights
 * @param dropHardest 0: off; else the share of each fine-tuning batch's highest-loss cells left out of the
 *     gradient ({@link LossTruncation}), ramped up over the first half of the fine-tuning epochs
 * @param dropout 0: off; else the share of the pooled features zeroed (training only) before the head, as in
 *     torchvision's MobileNetV2 classifier
 * @param weightDecay 0: Adam; else AdamW with this decoupled decay (each step shrinks every weight by its learning
 *     rate times this)
 * @param adamOwnSteps Adam's bias correction counts each parameter's own steps (PyTorch's way), so a parameter that
 *     joins in stage 2 starts with Adam's usual first steps; false: one count for all parameters (Keras's way), under
 *     which its first stage-2 updates are larger, see {@link StepCountedAdam}
 * @param samRho 0: off; else each step's gradient is taken at the weights moved this far uphill
 *     ({@link SharpnessAware}, sharpness-aware minimisation), at twice the cost per step
 * @param samAdaptive with {@code samRho}: the move is relative to each weight's size (ASAM)
 * @param colourNormalise scale each image's colours to {@link ColourNormalisation#REFERENCE} before it enters the
 *     network, in training and (through {@code model.json}) in serving
 * @param keepAspect letterbox each crop into the square input rather than stretch it, in training and (through
 *     {@code model.json}) in serving
 * @param gceQ 0: cross-entropy; else the {@code q} of the generalised cross-entropy ({@link CellLoss}), under which
 *     the cells the network confidently disagrees with pull less
 * @param seed seed of initialisation, shuffling and augmentation
 * @param trainShare share of the training patients that train (seeded by {@code splitSeed}, stratified); below 1
 *     for learning curves: how much the figures owe to the amount of training data
 * @param splitSeed seed of the patient split (folds, train / validation / test); apart from {@code seed} so
 *     that runs on one split with several seeds show a recipe's run-to-run noise, or train ensemble members
 */
public record TrainConfig(
        @JsonProperty("input_size") int inputSize,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("head_epochs") int headEpochs,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("head_lr") float headLr,
        @JsonProperty("lr") float lr,
        @JsonProperty("backbone_lr_factor") float backboneLrFactor,
        @JsonProperty("stage_lr_decay") float stageLrDecay,
        @JsonProperty("trainable_from") int trainableFrom,
        @JsonProperty("label_smoothing") float labelSmoothing,
        @JsonProperty("patience") int patience,
        @JsonProperty("ema_decay") float emaDecay,
        @JsonProperty("augmentation") Augmentation augmentation,
        @JsonProperty("mixup_alpha") float mixupAlpha,
        @JsonProperty("drop_hardest") float dropHardest,
        @JsonProperty("dropout") float dropout,
        @JsonProperty("weight_decay") float weightDecay,
        @JsonProperty("adam_own_steps") boolean adamOwnSteps,
        @JsonProperty("sam_rho") float samRho,
        @JsonProperty("sam_adaptive") boolean samAdaptive,
        @JsonProperty("colour_normalise") boolean colourNormalise,
        @JsonProperty("keep_aspect") boolean keepAspect,
        @JsonProperty("gce_q") float gceQ,
        @JsonProperty("train_share") double trainShare,
        @JsonProperty("seed") long seed,
        @JsonProperty("split_seed") long splitSeed) {

    /** A run without mixup or loss truncation, on all training patients, whose patient split follows its {@code seed}. */
    public TrainConfig(int inputSize, int batchSize, int headEpochs, int epochs, float headLr, float lr,
            float backboneLrFactor, int trainableFrom, float labelSmoothing, int patience, float emaDecay,
            Augmentation augmentation, long seed) {
        this(inputSize, batchSize, headEpochs, epochs, headLr, lr, backboneLrFactor, 1f, trainableFrom, labelSmoothing,
                patience, emaDecay, augmentation, 0f, 0f, 0f, 0f, false, 0f, false, false, false, 0f, 1.0, seed, seed);
    }

    /** The colour reference of this run's preprocessing: null when colours stay as decoded. */
    @JsonIgnore
    public float[] colourReference() {
        return colourNormalise ? ColourNormalisation.REFERENCE.clone() : null;
    }

    /** The spec this run's network is evaluated with while it trains: its input size and preprocessing. */
    public ModelSpec evaluationSpec(String name) {
        return ModelSpec.inTraining(name, inputSize, colourReference(), keepAspect);
    }

    /**
     * Stage-2 learning rate of a backbone parameter of stage {@code stage} ({@code features.N}; -1: outside the
     * stages) relative to the head's: {@code backboneLrFactor * stageLrDecay^(LAST_STAGE - stage)}.
     */
    public float backboneRateFactor(int stage) {
        if (stage < 0 || stageLrDecay == 1f) {
            return backboneLrFactor;
        }
        return (float) (backboneLrFactor * Math.pow(stageLrDecay, CellNetwork.LAST_STAGE - stage));
    }

    /**
     * A recorded config ({@code config} of a report) completed with the values that runs recorded before a
     * field existed had: without mixup, loss truncation, weight average, dropout, weight decay, stage rate decay, Adam
     * counting each parameter's own steps, sharpness-aware steps, colour normalisation, letterboxing, rotations beyond
     * quarter turns or the generalised cross-entropy, on all training patients, with the split following
     * {@code seed}. Fields the record has are kept as recorded; the augmentation's keys, which runs wrote in camelCase
     * before they were snake_case like the rest, read as now.
     */
    public static ObjectNode withEarlierDefaults(ObjectNode recorded) {
        ObjectNode config = recorded.deepCopy();
        if (config.get("augmentation") instanceof ObjectNode augmentation) {
            renameKey(augmentation, "maxZoom", "max_zoom");
            renameKey(augmentation, "maxShift", "max_shift");
            augmentation.putIfAbsent("max_rotation", DoubleNode.valueOf(0.0));
        }
        for (String field : new String[] {
                "ema_decay", "mixup_alpha", "drop_hardest", "dropout", "weight_decay", "sam_rho", "gce_q"}) {
            config.putIfAbsent(field, DoubleNode.valueOf(0.0));
        }
        config.putIfAbsent("colour_normalise", BooleanNode.FALSE);
        config.putIfAbsent("keep_aspect", BooleanNode.FALSE);
        config.putIfAbsent("adam_own_steps", BooleanNode.FALSE);
        config.putIfAbsent("sam_adaptive", BooleanNode.FALSE);
        config.putIfAbsent("stage_lr_decay", DoubleNode.valueOf(1.0));
        config.putIfAbsent("train_share", DoubleNode.valueOf(1.0));
        config.putIfAbsent("split_seed", config.path("seed"));
        return config;
    }

    private static void requirePositiveRate(float rate, String name) {
        if (!(rate > 0 && Float.isFinite(rate))) {
            throw new IllegalArgumentException(name + " must be a positive finite number, not " + rate);
        }
    }

    private static void renameKey(ObjectNode node, String from, String to) {
        if (node.has(from) && !node.has(to)) {
            node.set(to, node.remove(from));
        }
    }

    /** The cells of the share of {@code training}'s patients that train, the same for every {@code seed} of a split. */
    public List<CellFile> trainingShareOf(List<CellFile> training) {
        return PatientSplit.share(training, trainShare, splitSeed + 77);
    }

    public TrainConfig {
        if (inputSize < 32) throw new IllegalArgumentException("input size must be >= 32");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        if (headEpochs < 0 || epochs < 0 || headEpochs + epochs == 0) {
            throw new IllegalArgumentException("need at least one epoch");
        }
        // Checked here, with the option's name, rather than at the first update of a run that decoded the set first.
        requirePositiveRate(headLr, "head-lr");
        requirePositiveRate(lr, "lr");
        requirePositiveRate(backboneLrFactor, "backbone-lr-factor");
        if (!(stageLrDecay > 0 && stageLrDecay <= 1)) throw new IllegalArgumentException("stage rate decay must be in (0, 1]");
        if (trainableFrom < 0 || trainableFrom > CellNetwork.ALL_FROZEN) {
            throw new IllegalArgumentException("trainable-from must be 0.." + CellNetwork.ALL_FROZEN);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) throw new IllegalArgumentException("label smoothing must be in [0,1)");
        if (emaDecay < 0 || emaDecay >= 1) throw new IllegalArgumentException("weight-average decay must be in [0,1)");
        if (!(mixupAlpha >= 0)) throw new IllegalArgumentException("mixup alpha must be >= 0");
        if (!(dropHardest >= 0 && dropHardest < 0.5)) throw new IllegalArgumentException("drop-hardest must be in [0, 0.5)");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1)");
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) throw new IllegalArgumentException("weight decay must be >= 0");
        if (!(samRho >= 0 && Float.isFinite(samRho))) throw new IllegalArgumentException("sam must be a finite number >= 0");
        if (samAdaptive && samRho == 0) throw new IllegalArgumentException("sam-adaptive needs --sam RHO above 0");
        if (!(gceQ >= 0 && gceQ <= 1)) throw new IllegalArgumentException("gce must be in [0, 1]");
        if (!(trainShare > 0 && trainShare <= 1)) throw new IllegalArgumentException("train share must be in (0, 1]");
    }
}
