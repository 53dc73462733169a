package org.malariastream.common.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.malariastream.avro.CellPrediction;

/** The latency the benchmarks report: from a cell's capture time to its prediction being readable. */
public final class CaptureLatencies {
    private CaptureLatencies() {}

    /**
     * Reads predictions with {@code consumer} (a {@code read_committed} one) and returns, for those {@code mine}
     * selects, the milliseconds from capture until they were read. Stops when {@code expected} of them came
     * ({@code expected} may grow while a sender is still running) or {@code timeout} passed; the caller decides
     * whether fewer is an error.
     */
    public static List<Long> read(Consumer<String, Object> consumer, Predicate<CellPrediction> mine, IntSupplier expected,
            Duration timeout) {
        List<Long> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latencies.size() < expected.getAsInt() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(50))) {
                if (r.value() instanceof CellPrediction p && mine.test(p)) {
                    latencies.add(System.currentTimeMillis() - p.getCapturedAt().toEpochMilli());
                }
            }
        }
        return latencies;
    }
}
