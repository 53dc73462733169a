package org.malariastream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.malariastream.common.KafkaConnection;
import org.malariastream.stack.LocalStack;

/** Reads what arrived on a topic, for assertions. */
public final class KafkaProbe {
    private KafkaProbe() {}

    public static KafkaConnection connection(LocalStack stack) {
        return new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
    }

    /** Every record on the topic, waiting until {@code done} holds for the list or the timeout passes. */
    public static <V> List<ConsumerRecord<String, V>> read(LocalStack stack, String topic,
            Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Map<String, Object> cfg = new HashMap<>(connection(stack).consumer("probe-" + System.nanoTime()));
        cfg.put("key.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(cfg)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more short poll: anything beyond what was awaited must show up too.
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    public static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
