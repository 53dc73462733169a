package org.malariastream.metrics.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.TopicInitializer;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.http.ModelDetail;
import org.malariastream.metrics.http.QueryService;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./malaria bench metrics}: preloads synthetic predictions and labels into a throw-away embedded
 * stack, then runs the metrics topology (exactly-once v2) over them and times it from the moment Streams is
 * RUNNING until its committed offsets reach the end of both input topics.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Benchmark the metrics topology on the embedded broker: prints events_per_s= (predictions and"
                + " labels read per second) and predictions_per_s=.",
            "Target: at least 20,000 predictions/s with exactly-once."})
public final class MetricsBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--predictions", defaultValue = "200000", description = "Predictions to preload. Default: ${DEFAULT-VALUE}.")
    int predictions;

    @Option(names = "--label-fraction", defaultValue = "1.0", description = "Share of cells with a label. Default: ${DEFAULT-VALUE}.")
    double labelFraction;

    @Option(names = "--cells-per-slide", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    int cellsPerSlide;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of every topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--threads", defaultValue = "2", description = "Stream threads. Default: ${DEFAULT-VALUE} (one per core here).")
    int threads;

    @Option(names = "--commit-interval", defaultValue = "1s", converter = org.malariastream.metrics.cli.DurationConverter.class,
            description = "Exactly-once commit interval. Default: ${DEFAULT-VALUE} (the service's default).")
    Duration commitInterval;

    @Option(names = "--cache-mb", defaultValue = "64", description = "State store cache in MiB. Default: ${DEFAULT-VALUE} (the service's default).")
    long cacheMb;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("malaria-bench-metrics-");
        err.println("bench: starting an embedded broker and registry in " + dir);
        err.flush();
        try (LocalStack stack = LocalStack.start(dir.resolve("stack"), false, true)) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(partitions));
            long labels = preload(connection, err);

            MetricsService.Config config = new MetricsService.Config(connection, "bench-metrics", dir.resolve("state"),
                    "127.0.0.1", 0, "127.0.0.1", threads, commitInterval, cacheMb * 1024 * 1024,
                    MetricsSettings.defaults(), false);
            try (MetricsService service = new MetricsService(config).start()) {
                service.awaitRunning(Duration.ofMinutes(2));
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                err.println("bench: Streams running, processing " + predictions + " predictions and " + labels + " labels...");
                err.flush();
                awaitCaughtUp(connection, "bench-metrics", Duration.ofMinutes(15));
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                double streamCpuSeconds = streamThreadCpuNanos() / 1e9;
                long events = predictions + labels;
                out.printf("predictions=%d labels=%d partitions=%d threads=%d commit_interval_ms=%d cache_mb=%d seconds=%.2f%n",
                        predictions, labels, partitions, threads, commitInterval.toMillis(), cacheMb, seconds);
                out.printf("events_per_s=%.0f%n", events / seconds);
                out.printf("predictions_per_s=%.0f%n", predictions / seconds);
                // The broker runs in this JVM too: CPU seconds are the topology's and the broker's together.
                // On a shared machine, per-CPU-second figures say more than per-second ones.
                out.printf("process_cpu_s=%.2f events_per_cpu_s=%.0f load_average=%.2f cores=%d%n", cpuSeconds,
                        events / cpuSeconds, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
                // The stream threads alone (the topology, its stores and its clients' calls; not the broker).
                out.printf("stream_threads_cpu_s=%.2f predictions_per_stream_cpu_s=%.0f%n", streamCpuSeconds,
                        predictions / streamCpuSeconds);
                out.flush();
                report(service, labels, out);
            }
        } finally {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        }
        return 0;
    }

    /** CPU time of the Kafka Streams threads so far (they only start when the service does). */
    private static long streamThreadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("-StreamThread-") && !info.getThreadName().contains("producer")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private long preload(KafkaConnection connection, PrintWriter err) throws Exception {
        Map<String, Object> cfg = new HashMap<>(connection.producer("bench-preload"));
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        SyntheticCells cells = new SyntheticCells(7, cellsPerSlide, "1.0.0", Instant.parse("2026-11-01T08:00:00Z"));
        java.util.Random pick = new java.util.Random(11);
        long labels = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(cfg)) {
            for (int i = 0; i < predictions; i++) {
                SyntheticCells.Cell c = cells.cell(i);
                String key = c.prediction().getSlideId();
                producer.send(new ProducerRecord<>(Topics.CELL_PREDICTIONS.name(), key, c.prediction()));
                if (pick.nextDouble() < labelFraction) {
                    producer.send(new ProducerRecord<>(Topics.CELL_LABELS.name(), key, c.label()));
                    labels++;
                }
            }
            producer.flush();
        }
        err.printf("bench: preloaded %d predictions and %d labels in %.1f s%n", predictions, labels, (System.nanoTime() - t0) / 1e9);
        err.flush();
        return labels;
    }

    /** Waits until the group's committed offsets equal the end offsets of both input topics. */
    static void awaitCaughtUp(KafkaConnection connection, String groupId, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(connection.admin())) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String topic : List.of(Topics.CELL_PREDICTIONS.name(), Topics.CELL_LABELS.name())) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(ends).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                boolean done = end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
                if (done) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the topology did not catch up within " + timeout);
        }
    }

    /** What the run computed, as a check that it counted everything once. */
    private static void report(MetricsService service, long labels, PrintWriter out) throws InterruptedException {
        QueryService queries = new QueryService(service.streams(),
                new org.apache.kafka.streams.state.HostInfo("127.0.0.1", service.httpPort()),
                MetricsSettings.defaults().slidePriorSharpen());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ModelDetail detail = null;
        while (System.nanoTime() < deadline) {
            try {
                detail = queries.model("1.0.0").orElse(null);
                if (detail != null && detail.cumulative().count() == labels) {
                    break;
                }
            } catch (RuntimeException e) {
                // not queryable yet
            }
            Thread.sleep(200);
        }
        if (detail == null) {
            out.println("model_count=0");
        } else {
            out.printf("model_count=%d accuracy=%.4f auc=%.5f f1=%.4f windows=%d%n", detail.cumulative().count(),
                    detail.cumulative().accuracy(), detail.cumulative().auc(), detail.cumulative().f1(), detail.windows().size());
        }
        out.printf("slides_complete=%d%n", queries.slides("COMPLETE", 100_000).size());
        out.flush();
    }
}
