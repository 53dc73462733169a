package org.malariastream.ingest.bench;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.SharedData;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.observability.ServiceMetrics;
import org.malariastream.ingest.http.IngestHttpServer;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.IntakeProducer;
import org.malariastream.ingest.replay.DatasetReplay;
import org.malariastream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./malaria bench ingest}: real cell images into a throw-away embedded broker, once by dataset replay
 * and once through the HTTP API with a concurrent client. Every cell goes through the same checks and
 * {@code acks=all} as in service; the rates count cells acknowledged by Kafka.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Benchmark the ingest doors on an embedded broker with real images: prints cells_per_s= for"
                + " dataset replay and for HTTP with a concurrent client.",
            "Targets on a 2-core machine: replay >= 5,000 cells/s, HTTP >= 2,000 cells/s."})
public final class IngestBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", description = "NIH-layout images. Default: the shared dataset.")
    Path images;

    @Option(names = "--cells", defaultValue = "10000", description = "Cells per door. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--concurrency", defaultValue = "32", description = "HTTP requests in flight. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of cells.images. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataset = images != null ? images : SharedData.cellImages();
        Path dir = Files.createTempDirectory("malaria-bench-ingest-");
        err.println("bench: starting an embedded broker and registry in " + dir);
        err.flush();
        try (LocalStack stack = LocalStack.start(dir, false, true)) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(partitions));
            PrometheusMeterRegistry meters = ServiceMetrics.prometheus("ingest-bench");
            try (Producer<String, Object> producer = IntakeProducer.create(connection, "bench");
                 CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), meters)) {
                replay(dataset, intake, "warmup", 500);
                DatasetReplay.Summary r = replay(dataset, intake, "bench-replay", cells);
                out.printf("ingest door=replay cells_per_s=%.0f cells=%d rejected=%d seconds=%.2f%n",
                        r.published() / seconds(r.elapsed()), r.published(), r.rejectedTotal(), seconds(r.elapsed()));
                out.flush();

                List<byte[]> bodies = NihLayout.list(dataset).cells().stream().limit(cells)
                        .map(c -> readUnchecked(c.path())).toList();
                try (IngestHttpServer server = new IngestHttpServer(new IngestHttpServer.Settings("127.0.0.1", 0,
                        "bench-http", ImageLimits.DEFAULT.maxBytes(), Optional.empty()), intake, meters, () -> true).start()) {
                    http(server.port(), bodies.subList(0, Math.min(500, bodies.size())), "warmup");
                    long start = System.nanoTime();
                    int accepted = http(server.port(), bodies, "bench-http");
                    double s = (System.nanoTime() - start) / 1e9;
                    out.printf("ingest door=http cells_per_s=%.0f cells=%d concurrency=%d seconds=%.2f%n",
                            accepted / s, accepted, concurrency, s);
                    out.flush();
                    if (accepted != bodies.size()) {
                        err.println("bench: " + (bodies.size() - accepted) + " HTTP requests were not accepted");
                        return 1;
                    }
                }
            }
        }
        return 0;
    }

    private static DatasetReplay.Summary replay(Path dataset, CellIntake intake, String scanner, int limit)
            throws InterruptedException {
        return new DatasetReplay(new DatasetReplay.Settings(dataset, scanner, 0, limit, false, 4000), intake)
                .run(new DatasetReplay.Progress() {
                    @Override
                    public void started(int total) {
                    }

                    @Override
                    public void advanced(int done, int rejected) {
                    }
                });
    }

    /** Posts every body with {@code concurrency} requests in flight; returns how many got 202. */
    private int http(int port, List<byte[]> bodies, String slide) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger accepted = new AtomicInteger();
        for (int i = 0; i < bodies.size(); i++) {
            inFlight.acquire();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/slides/" + slide
                            + "-" + (i / 200) + "/cells/cell_" + i))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
            client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, e) -> {
                if (e == null && res.statusCode() == 202) {
                    accepted.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        return accepted.get();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static byte[] readUnchecked(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
