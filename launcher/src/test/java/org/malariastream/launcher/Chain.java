package org.malariastream.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.malariastream.common.KafkaConnection;

/** Readers of what the chain committed, for the end-to-end and fault tests. */
final class Chain {
    private Chain() {}

    /** Committed records of a topic, read until at least {@code atLeast} came and 3 s passed with no more. */
    static <V> List<V> readCommitted(KafkaConnection connection, String topic, int atLeast, Duration max) {
        return read(connection.consumer("reader-" + System.nanoTime()), topic, atLeast, max);
    }

    static List<String> readCommittedStrings(KafkaConnection connection, String topic, int atLeast, Duration max) {
        Map<String, Object> cfg = new HashMap<>(connection.consumer("reader-" + System.nanoTime()));
        cfg.put("value.deserializer", StringDeserializer.class.getName());
        return read(cfg, topic, atLeast, max);
    }

    private static <V> List<V> read(Map<String, Object> cfg, String topic, int atLeast, Duration max) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(cfg)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + max.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                int before = out.size();
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (out.size() >= atLeast && (out.size() > before || quietUntil == Long.MAX_VALUE)) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }
}
