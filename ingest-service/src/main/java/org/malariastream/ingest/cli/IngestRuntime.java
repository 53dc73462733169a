package org.malariastream.ingest.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.observability.ServiceMetrics;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.IntakeProducer;

/** The parts every ingest door shares: one producer, one intake, one meter registry. */
final class IngestRuntime implements AutoCloseable {
    final PrometheusMeterRegistry meters = ServiceMetrics.prometheus("ingest");
    final Producer<String, Object> producer;
    final CellIntake intake;

    IngestRuntime(KafkaConnection connection, ImageLimits limits) {
        IntakeProducer.requireRoomFor(connection, limits.maxBytes());
        this.producer = IntakeProducer.create(connection, "ingest");
        this.intake = new CellIntake(producer, new ImageInspector(limits), meters);
    }

    /** Flushes what is in flight, so that an acknowledged answer was never a lie. */
    @Override
    public void close() {
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        intake.close();
    }
}
