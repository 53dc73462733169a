package org.malariastream.metrics.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.malariastream.avro.SlideResult;
import org.malariastream.metrics.cells.CellState;
import org.malariastream.metrics.fhir.FhirReports;
import org.malariastream.metrics.slides.SlideState;
import org.malariastream.schemas.Topics;

/**
 * The metrics service's Kafka Streams topology, as a plain function so TopologyTestDriver can run it:
 * <pre>
 * cells.predictions ─┐                      ┌─► metrics.dlq (what did not decode, with reason and bytes)
 * cells.labels ──────┴─► decode ─► cells ───┼─► metrics.slides (running), results.slides (final)
 *   (bytes, keyed by slide)     (join by    │                             └─► results.slides.fhir
 *                               cell, slide └─► quality snapshots ─► repartition by model ─► merge ─► metrics.model
 *                               tallies)
 * </pre>
 * Predictions and labels are both keyed by slide id, so a cell's prediction and label meet in one task
 * without a repartition (both topics must have the same partition count; the service checks it). Only the
 * per-partition quality snapshots, a few per model and second, cross to the task that merges a model.
 */
public final class MetricsTopology {
    public static final String CELLS_STORE = "cells";
    public static final String SLIDES_STORE = "slides";
    public static final String QUALITY_SNAPSHOTS_STORE = "quality-snapshots";
    public static final String MODEL_METRICS_STORE = "model-metrics";

    private MetricsTopology() {}

    public static Topology build(MetricsSettings settings, MetricsSerdes serdes, MeterRegistry meters) {
        return build(settings, serdes, meters, Stores::persistentKeyValueStore);
    }

    /** @param storeKind persistent (RocksDB) for the service; the tests may pass in-memory stores */
    public static Topology build(MetricsSettings settings, MetricsSerdes serdes, MeterRegistry meters,
            java.util.function.Function<String, KeyValueBytesStoreSupplier> storeKind) {
        StreamsBuilder builder = new StreamsBuilder();
        DecodeProcessor.registerCounters(meters);
        InputDecoder decoder = new InputDecoder(serdes.predictions().deserializer(), serdes.labels().deserializer());
        FhirReports fhir = new FhirReports(settings.presenceThresholdPct());

        KStream<byte[], byte[]> predictions = builder.stream(Topics.CELL_PREDICTIONS.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-predictions"));
        KStream<byte[], byte[]> labels = builder.stream(Topics.CELL_LABELS.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-labels"));

        Map<String, KStream<String, CellInput>> inputs = predictions
                .merge(labels, Named.as("predictions-and-labels"))
                .process(() -> new DecodeProcessor(decoder, meters), Named.as("decode"))
                .split(Named.as("input-"))
                .branch((k, v) -> v instanceof CellInput.Rejected, Branched.as("rejected"))
                .defaultBranch(Branched.as("cells"));
        inputs.get("input-rejected")
                .mapValues(v -> ((CellInput.Rejected) v).deadLetter(), Named.as("dead-letter"))
                .to(Topics.METRICS_DLQ.name(), Produced.with(Serdes.String(), serdes.deadLetters()).withName("write-dlq"));

        builder.addStateStore(Stores.keyValueStoreBuilder(storeKind.apply(CELLS_STORE), Serdes.String(), CellState.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(storeKind.apply(SLIDES_STORE), Serdes.String(), SlideState.serde())
                .withCachingEnabled());
        Map<String, KStream<String, Emission>> emitted = inputs.get("input-cells")
                .process(() -> new CellProcessor(settings, meters), Named.as("cells"), CELLS_STORE, SLIDES_STORE)
                .split(Named.as("emit-"))
                .branch((k, v) -> v instanceof Emission.SlideUpdate u && !u.isFinal(), Branched.as("running"))
                .branch((k, v) -> v instanceof Emission.SlideUpdate u && u.isFinal(), Branched.as("final"))
                .defaultBranch(Branched.as("quality"));

        emitted.get("emit-running")
                .mapValues(v -> ((Emission.SlideUpdate) v).result(), Named.as("running-slide"))
                .to(Topics.METRICS_SLIDES.name(), Produced.with(Serdes.String(), serdes.slideResults()).withName("write-running-slides"));
        KStream<String, SlideResult> finals = emitted.get("emit-final")
                .mapValues(v -> ((Emission.SlideUpdate) v).result(), Named.as("final-slide"));
        finals.to(Topics.RESULTS_SLIDES.name(), Produced.with(Serdes.String(), serdes.slideResults()).withName("write-final-slides"));
        finals.flatMapValues(r -> fhir.toJson(r).stream().toList(), Named.as("fhir-report"))
                .to(Topics.RESULTS_SLIDES_FHIR, Produced.with(Serdes.String(), Serdes.String()).withName("write-fhir"));

        builder.addStateStore(Stores.keyValueStoreBuilder(storeKind.apply(QUALITY_SNAPSHOTS_STORE), Serdes.String(),
                QualitySnapshot.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(storeKind.apply(MODEL_METRICS_STORE), Serdes.String(),
                ModelView.serde()).withCachingEnabled());
        emitted.get("emit-quality")
                .mapValues(v -> ((Emission.Quality) v).snapshot(), Named.as("quality-snapshot"))
                .repartition(Repartitioned.with(Serdes.String(), QualitySnapshot.serde()).withName("quality-by-model"))
                .process(() -> new QualityMergeProcessor(settings), Named.as("merge-quality"),
                        QUALITY_SNAPSHOTS_STORE, MODEL_METRICS_STORE)
                .to(Topics.METRICS_MODEL.name(), Produced.with(Serdes.String(), serdes.modelMetrics()).withName("write-model-metrics"));
        return builder.build();
    }

}
