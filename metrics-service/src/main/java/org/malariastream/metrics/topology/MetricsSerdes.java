package org.malariastream.metrics.topology;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.avro.SlideResult;
import org.malariastream.schemas.registry.ConfluentAvroSerde;

/** The Avro serdes of the topics the service reads and writes, all through the schema registry. */
public record MetricsSerdes(Serde<CellPrediction> predictions, Serde<CellLabel> labels, Serde<ModelMetrics> modelMetrics,
        Serde<SlideResult> slideResults, Serde<DeadLetter> deadLetters) {

    /** @param registryConfig {@code schema.registry.url} and any other serde setting */
    public static MetricsSerdes fromRegistry(Map<String, ?> registryConfig) {
        return new MetricsSerdes(ConfluentAvroSerde.of(CellPrediction.class, registryConfig),
                ConfluentAvroSerde.of(CellLabel.class, registryConfig),
                ConfluentAvroSerde.of(ModelMetrics.class, registryConfig),
                ConfluentAvroSerde.of(SlideResult.class, registryConfig),
                ConfluentAvroSerde.of(DeadLetter.class, registryConfig));
    }
}
