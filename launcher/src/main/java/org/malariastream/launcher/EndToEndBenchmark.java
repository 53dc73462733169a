package org.malariastream.launcher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.SharedData;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.bench.BenchFigures;
import org.malariastream.common.bench.CaptureLatencies;
import org.malariastream.ingest.replay.DatasetReplay;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.StackManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./malaria bench e2e}: the whole chain on this machine. The broker and registry run as processes of their
 * own (so that each process's memory shows), the three services in this one.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Benchmark the whole chain (ingest replay -> classifier -> metrics) on an embedded stack with real"
                + " images: prints cells_per_s= (replayed as fast as ingest takes them, until the last prediction is"
                + " committed), p50_ms= and p99_ms= (capture to committed prediction, replaying at half that rate) and"
                + " each process's peak memory."})
final class EndToEndBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", description = "NIH-layout images. Default: the shared dataset.")
    Path images;

    @Option(names = "--cells", defaultValue = "5000", description = "Cells of the throughput run. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the half-load run. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataset = images != null ? images : SharedData.cellImages();
        Path home = Files.createTempDirectory("malaria-bench-e2e-");
        StackManager stack = new StackManager(home.resolve("stack"));
        try {
            StackManager.Status status = stack.upForThisJvm();
            KafkaConnection connection = new KafkaConnection(status.broker().address(), status.registry().address(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(3));
            try (RunningSystem system = RunningSystem.start(connection, new RunningSystem.Settings(home.resolve("state"), null,
                    RunningSystem.defaultModel(), "127.0.0.1", -1, -1, 0, MetricsSettings.defaults(), Duration.ofSeconds(1)));
                 KafkaConsumer<String, Object> predictions = new KafkaConsumer<>(connection.consumer("bench-" + System.nanoTime()))) {
                predictions.subscribe(List.of(Topics.CELL_PREDICTIONS.name()));
                long start = System.nanoTime();
                CompletableFuture<DatasetReplay.Summary> running = replayInBackground(dataset, system, "bench-e2e", 0, cells);
                List<Long> throughputLatencies = await(predictions, running, "bench-e2e");
                DatasetReplay.Summary replay = running.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = replay.published() / seconds;
                err.printf("bench: %d cells in %.1f s (ingest alone took %.1f s); latency run at %.0f cells/s%n",
                        replay.published(), seconds, replay.elapsed().toMillis() / 1000.0, rate / 2);
                err.flush();
                int latencyCells = (int) Math.min(rate / 2 * latencySeconds, 17_000);
                List<Long> latencies = await(predictions,
                        replayInBackground(dataset, system, "bench-latency", rate / 2, latencyCells), "bench-latency");
                out.printf("e2e cells_per_s=%.0f cells=%d p50_ms=%d p99_ms=%d latency_rate=%.0f full_load_p50_ms=%d"
                                + " services_peak_rss_mb=%d broker_peak_rss_mb=%d registry_peak_rss_mb=%d%n",
                        rate, replay.published(), BenchFigures.percentile(latencies, 0.5), BenchFigures.percentile(latencies, 0.99), rate / 2,
                        BenchFigures.percentile(throughputLatencies, 0.5), BenchFigures.peakRssMb(),
                        BenchFigures.peakRssMb(status.broker().pid()), BenchFigures.peakRssMb(status.registry().pid()));
                out.flush();
            }
        } finally {
            stack.down();
            BenchFigures.deleteQuietly(home);
        }
        return 0;
    }

    /**
     * Replays on another thread, so that predictions are read while the cells are still being sent: a latency
     * taken only after the replay ended would include the rest of the replay.
     */
    private static CompletableFuture<DatasetReplay.Summary> replayInBackground(Path dataset, RunningSystem system,
            String scanner, double rate, int limit) {
        DatasetReplay replay = new DatasetReplay(new DatasetReplay.Settings(dataset, scanner, rate, limit, true, 2000),
                system.intake);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return replay.run(new DatasetReplay.Progress() {
                    @Override
                    public void started(int total) {
                    }

                    @Override
                    public void advanced(int done, int rejected) {
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            }
        });
    }

    /** Reads predictions of one scanner until all the replay published came; returns capture-to-visible latencies. */
    private static List<Long> await(KafkaConsumer<String, Object> consumer, CompletableFuture<DatasetReplay.Summary> replay,
            String scanner) {
        IntSupplier published = () -> replay.isDone() ? replay.join().published() : Integer.MAX_VALUE;
        List<Long> latencies = CaptureLatencies.read(consumer, p -> p.getScannerId().equals(scanner), published,
                Duration.ofMinutes(20));
        if (latencies.size() < published.getAsInt()) {
            throw new IllegalStateException("only " + latencies.size() + " predictions arrived in 20 minutes"
                    + (replay.isDone() ? " of " + published.getAsInt() : "; the replay had not finished"));
        }
        return latencies;
    }
}
