package org.malariastream.metrics.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.metrics.quality.QualityAggregate;
import org.malariastream.metrics.quality.QualityMetrics;

/**
 * Merges the per-partition quality snapshots of one model version (the stream is repartitioned by model
 * key, so all of a model's snapshots meet here) into its published figures: one ModelMetrics record on
 * metrics.model per change, and the queryable view in the model-metrics store.
 *
 * <p>Store keys, chosen so a prefix scan finds what belongs together:
 * {@code model|C|partition} and {@code model|W|windowStart|partition} for the snapshots,
 * {@code model|C} and {@code model|W|windowStart} for the views.
 */
final class QualityMergeProcessor implements Processor<String, QualitySnapshot, String, ModelMetrics> {
    private static final StringSerializer KEYS = new StringSerializer();

    private final MetricsSettings settings;
    private ProcessorContext<String, ModelMetrics> context;
    private KeyValueStore<String, QualitySnapshot> snapshots;
    private KeyValueStore<String, ModelView> views;
    /** The newest window seen per model: windows further back than the retention are dropped. */
    private final Map<String, Long> newestWindow = new HashMap<>();

    QualityMergeProcessor(MetricsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ModelMetrics> context) {
        this.context = context;
        this.snapshots = context.getStateStore(MetricsTopology.QUALITY_SNAPSHOTS_STORE);
        this.views = context.getStateStore(MetricsTopology.MODEL_METRICS_STORE);
    }

    static String cumulativeKey(String model) {
        return model + "|C";
    }

    static String windowKey(String model, long windowStart) {
        return String.format("%s|W|%015d", model, windowStart);
    }

    static String windowPrefix(String model) {
        return model + "|W|";
    }

    @Override
    public void process(Record<String, QualitySnapshot> record) {
        QualitySnapshot s = record.value();
        String model = record.key();
        String viewKey = s.isCumulative() ? cumulativeKey(model) : windowKey(model, s.windowStart());
        Long newest = newestWindow.get(model);
        if (!s.isCumulative() && newest != null && s.windowStart() < newest - settings.windowRetention().toMillis()) {
            return; // a window past retention
        }
        snapshots.put(viewKey + String.format("|%05d", s.partition()), s);

        QualityAggregate merged = new QualityAggregate();
        try (KeyValueIterator<String, QualitySnapshot> parts = snapshots.prefixScan(viewKey + "|", KEYS)) {
            while (parts.hasNext()) {
                merged.merge(parts.next().value.aggregate());
            }
        }
        long now = context.currentSystemTimeMs();
        Long windowStart = s.isCumulative() ? null : s.windowStart();
        Long windowEnd = s.isCumulative() ? null : s.windowStart() + settings.window().toMillis();
        QualityMetrics m = merged.metrics();
        views.put(viewKey, ModelView.of(s.modelName(), s.modelVersion(), windowStart, windowEnd, m, now,
                s.isCumulative() ? merged.roc(settings.rocPoints()) : List.of()));
        context.forward(new Record<>(model, toAvro(s, windowStart, windowEnd, m, now), now));

        if (!s.isCumulative() && (newest == null || s.windowStart() > newest)) {
            newestWindow.put(model, s.windowStart());
            evictOldWindows(model, s.windowStart() - settings.windowRetention().toMillis());
        }
    }

    private void evictOldWindows(String model, long cutoff) {
        String cutoffKey = windowKey(model, Math.max(0, cutoff));
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ModelView> old = views.range(windowPrefix(model), cutoffKey)) {
            while (old.hasNext()) {
                KeyValue<String, ModelView> v = old.next();
                if (v.value.windowStart() != null && v.value.windowStart() < cutoff) {
                    expired.add(v.key);
                }
            }
        }
        for (String key : expired) {
            views.delete(key);
            List<String> parts = new ArrayList<>();
            try (KeyValueIterator<String, QualitySnapshot> it = snapshots.prefixScan(key + "|", KEYS)) {
                it.forEachRemaining(kv -> parts.add(kv.key));
            }
            parts.forEach(snapshots::delete);
        }
    }

    private static ModelMetrics toAvro(QualitySnapshot s, Long windowStart, Long windowEnd, QualityMetrics m, long now) {
        return ModelMetrics.newBuilder()
                .setModelName(s.modelName())
                .setModelVersion(s.modelVersion())
                .setWindowStart(windowStart == null ? null : Instant.ofEpochMilli(windowStart))
                .setWindowEnd(windowEnd == null ? null : Instant.ofEpochMilli(windowEnd))
                .setCount(m.count())
                .setTruePositives(m.truePositives())
                .setFalsePositives(m.falsePositives())
                .setTrueNegatives(m.trueNegatives())
                .setFalseNegatives(m.falseNegatives())
                .setAccuracy(m.accuracy())
                .setPrecision(m.precision())
                .setSensitivity(m.sensitivity())
                .setSpecificity(m.specificity())
                .setF1(m.f1())
                .setAuc(m.auc())
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
