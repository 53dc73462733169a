package org.malariastream.ingest.intake;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.malariastream.common.KafkaConnection;

/** The ingest service's producer: idempotent, {@code acks=all}, batching a few milliseconds for throughput. */
public final class IntakeProducer {
    private IntakeProducer() {}

    public static Producer<String, Object> create(KafkaConnection connection, String clientId) {
        Map<String, Object> cfg = connection.producer(clientId);
        // Images are PNG/JPEG already, so compression would only cost CPU; lingering a few ms batches
        // concurrent HTTP requests and replayed files into few requests. Site settings (-X) win.
        cfg.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        cfg.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        cfg.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        return new KafkaProducer<>(cfg);
    }
}
