package org.malariastream.ingest.intake;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.malariastream.common.KafkaConnection;

/** The ingest service's producer: idempotent, {@code acks=all}, batching a few milliseconds for throughput. */
public final class IntakeProducer {
    private IntakeProducer() {}

    /** What an event needs beside its image: ids, times, attributes, the record's and the batch's headers. */
    static final int EVENT_OVERHEAD_BYTES = 16 * 1024;

    /**
     * Refuses an image limit that the producer cannot send. An image the door accepts but Kafka refuses as too
     * large would be answered "unavailable, send it again later" for ever, and stay in the hot folder for ever.
     */
    public static void requireRoomFor(KafkaConnection connection, int maxImageBytes) {
        String key = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
        Object configured = connection.extraProperties().get(key);
        long maxRequest = configured != null ? Long.parseLong(configured.toString().trim())
                : ((Number) ProducerConfig.configDef().defaultValues().get(key)).longValue();
        if ((long) maxImageBytes + EVENT_OVERHEAD_BYTES > maxRequest) {
            throw new IllegalArgumentException("an image of --max-image-bytes " + maxImageBytes + " does not fit in a"
                    + " Kafka request of max.request.size " + maxRequest + " bytes with the event's other fields ("
                    + EVENT_OVERHEAD_BYTES + " bytes are kept for them): lower --max-image-bytes, or raise"
                    + " max.request.size (-X max.request.size=N) together with the broker's message.max.bytes or"
                    + " the topics' max.message.bytes");
        }
    }

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
