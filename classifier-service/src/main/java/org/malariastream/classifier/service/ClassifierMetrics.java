package org.malariastream.classifier.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.malariastream.avro.DeadLetterReason;

/** The classifier's own meters, beside the Kafka clients' (lag among them) and the JVM's. */
final class ClassifierMetrics {
    private final MeterRegistry registry;
    final Counter predicted;
    final Counter predictedCommitted;
    final DistributionSummary batchSize;
    final Timer inference;
    final Timer endToEnd;
    final Counter transactions;
    final Counter aborted;
    /** Partitions of the input topic this instance owns now; 0 while it waits for a rebalance. */
    final AtomicInteger assignedPartitions = new AtomicInteger();

    ClassifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.predicted = Counter.builder("classifier.images").tag("outcome", "predicted")
                .description("Images classified; rate() gives images/s").register(registry);
        this.predictedCommitted = Counter.builder("classifier.predictions.committed")
                .description("Predictions in committed transactions (aborted ones are classified again)").register(registry);
        this.batchSize = DistributionSummary.builder("classifier.batch.size")
                .description("Images per forward pass").publishPercentiles(0.5, 0.99).register(registry);
        this.inference = Timer.builder("classifier.inference")
                .description("One batched forward pass").publishPercentiles(0.5, 0.99).register(registry);
        this.endToEnd = Timer.builder("classifier.end.to.end")
                .description("From the scanner's capture time to the committed prediction")
                .publishPercentiles(0.5, 0.99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        this.transactions = Counter.builder("classifier.transactions").tag("outcome", "committed").register(registry);
        this.aborted = Counter.builder("classifier.transactions").tag("outcome", "aborted").register(registry);
        Gauge.builder("classifier.partitions.assigned", assignedPartitions, Number::doubleValue)
                .description("Input partitions this instance owns").register(registry);
    }

    /** A separate meter: Prometheus wants every series of one name to have the same tag keys. */
    void deadLettered(DeadLetterReason reason) {
        registry.counter("classifier.dead.letters", "reason", reason.name()).increment();
    }
}
