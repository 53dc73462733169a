package org.malariastream.classifier.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.ImageFormat;
import org.malariastream.avro.IngestChannel;
import org.malariastream.classifier.model.CellBatch;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.service.ClassifierService;
import org.malariastream.classifier.service.ClassifierSettings;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.SharedData;
import org.malariastream.common.bench.BenchFigures;
import org.malariastream.common.bench.CaptureLatencies;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.StackManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./malaria bench classify}: the classifier service against the bare model, on this machine. The broker
 * and registry run as processes of their own, so this JVM's peak RSS is the service's (plus the bench's small
 * producer and consumer).
 */
@Command(name = "classify", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Benchmark the classifier service with real cell images on an embedded stack: prints"
                + " cells_per_s= (service, images preloaded), model_only_cells_per_s= (the bare batched forward pass at"
                + " the same input size and batch), p50_ms= and p99_ms= (capture to committed prediction at half the"
                + " service's rate) and peak_rss_mb=.",
            "Targets on a 2-core machine: service >= 80% of model-only, p99 < 250 ms at half load, peak RSS < 1.5 GB."})
public final class ClassifierBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", description = "NIH-layout images. Default: the shared dataset.")
    Path images;

    @Option(names = "--model", paramLabel = "DIR", description = "Model folder. Default: the committed model.")
    Path model;

    @Option(names = "--cells", defaultValue = "4000", description = "Images preloaded for the throughput run. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-batch-wait-ms", defaultValue = "20", description = "The service's batch wait. Default: ${DEFAULT-VALUE}.")
    long maxBatchWaitMs;

    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "The service's commit interval. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the half-load run. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of cells.images. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    @SuppressWarnings("try") // the service works by being open
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path modelDir = Locations.model(model);
        List<byte[]> bodies = NihLayout.list(images != null ? images : SharedData.cellImages()).cells().stream()
                .limit(cells).map(c -> read(c.path())).toList();

        double modelOnly = modelOnly(modelDir, bodies);
        err.printf("bench: model only %.0f cells/s%n", modelOnly);

        Path home = Files.createTempDirectory("malaria-bench-classify-");
        StackManager stack = new StackManager(home);
        try {
            StackManager.Status status = stack.upForThisJvm();
            KafkaConnection connection = new KafkaConnection(status.broker().address(), status.registry().address(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(partitions));
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(connection.producer("bench"));
                 KafkaConsumer<String, Object> predictions = new KafkaConsumer<>(connection.consumer("bench-" + System.nanoTime()))) {
                predictions.subscribe(List.of(Topics.CELL_PREDICTIONS.name()));
                send(producer, bodies, "warm", 0);
                ClassifierSettings settings = new ClassifierSettings("bench", "bench-1", true, modelDir, "auto", batchSize,
                        Duration.ofMillis(maxBatchWaitMs), Duration.ofMillis(commitIntervalMs), ImageLimits.DEFAULT, "127.0.0.1", -1);
                try (ClassifierService service = new ClassifierService(connection, settings).start(settings)) {
                    await(predictions, bodies.size(), null);
                    send(producer, bodies, "run", 0);
                    long[] span = new long[2];
                    await(predictions, bodies.size(), span);
                    double serviceRate = (bodies.size() - 1) / ((span[1] - span[0]) / 1e9);
                    err.printf("bench: service %.0f cells/s; latency run at %.0f cells/s for %d s%n", serviceRate,
                            serviceRate / 2, latencySeconds);
                    List<Long> latencies = latency(producer, predictions, bodies, serviceRate / 2);
                    out.printf("classify cells_per_s=%.0f model_only_cells_per_s=%.0f service_vs_model=%.2f p50_ms=%d p99_ms=%d"
                                    + " peak_rss_mb=%d batch=%d wait_ms=%d commit_ms=%d input_px=%d cells=%d%n",
                            serviceRate, modelOnly, serviceRate / modelOnly, BenchFigures.percentile(latencies, 0.50),
                            BenchFigures.percentile(latencies, 0.99), BenchFigures.peakRssMb(), batchSize, maxBatchWaitMs, commitIntervalMs, inputSize(modelDir),
                            bodies.size());
                    out.flush();
                }
            }
        } finally {
            stack.down();
            BenchFigures.deleteQuietly(home);
        }
        return 0;
    }

    /** The bare forward pass: preprocessed batches, timed over the same images. */
    private double modelOnly(Path modelDir, List<byte[]> bodies) throws Exception {
        try (CellModel m = CellModel.load(modelDir, "auto"); CellClassifier classifier = m.newClassifier(batchSize)) {
            ImagePreprocessor pre = m.preprocessor();
            int n = Math.min(bodies.size(), 1024) / batchSize * batchSize;
            List<CellBatch> batches = new ArrayList<>();
            for (int start = 0; start < n; start += batchSize) {
                float[] buffer = new float[batchSize * pre.floatsPerImage()];
                for (int i = 0; i < batchSize; i++) {
                    pre.toTensor(ImageDecoder.decode(bodies.get(start + i)), buffer, i);
                }
                batches.add(new CellBatch(buffer, batchSize, pre.size()));
            }
            batches.forEach(classifier::probabilities); // warm-up
            long t0 = System.nanoTime();
            int done = 0;
            while (System.nanoTime() - t0 < 10_000_000_000L) {
                for (CellBatch b : batches) {
                    classifier.probabilities(b);
                    done += b.count();
                }
            }
            return done / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void send(KafkaProducer<String, Object> producer, List<byte[]> bodies, String run, double rate)
            throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < bodies.size(); i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            String slide = run + "-" + (i / 100);
            producer.send(new ProducerRecord<>(Topics.CELL_IMAGES.name(), slide, image(slide, "cell_" + i, bodies.get(i))));
        }
        producer.flush();
    }

    private static CellImage image(String slide, String cell, byte[] png) {
        return CellImage.newBuilder().setEventId(slide + "/" + cell).setScannerId("bench").setSlideId(slide).setCellId(cell)
                .setCapturedAt(Instant.now()).setFormat(ImageFormat.PNG).setImage(ByteBuffer.wrap(png))
                .setWidth(0).setHeight(0).setChannel(IngestChannel.OTHER).build();
    }

    /** Reads predictions until {@code count} arrived; {@code span} gets the first and last arrival times. */
    private static void await(KafkaConsumer<String, Object> consumer, int count, long[] span) {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (seen < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() instanceof CellPrediction) {
                    if (seen == 0 && span != null) {
                        span[0] = System.nanoTime();
                    }
                    seen++;
                }
            }
        }
        if (span != null) {
            span[1] = System.nanoTime();
        }
        if (seen < count) {
            throw new IllegalStateException("only " + seen + " of " + count + " predictions arrived");
        }
    }

    /** Sends at a fixed rate and measures capture time to the committed prediction, as a reader sees it. */
    private List<Long> latency(KafkaProducer<String, Object> producer, KafkaConsumer<String, Object> consumer,
            List<byte[]> bodies, double rate) throws InterruptedException {
        int count = (int) Math.min(rate * latencySeconds, 50_000);
        List<byte[]> cycle = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cycle.add(bodies.get(i % bodies.size()));
        }
        Thread sender = new Thread(() -> {
            try {
                send(producer, cycle, "latency", rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        List<Long> latencies = CaptureLatencies.read(consumer, p -> p.getSlideId().startsWith("latency-"), () -> count,
                Duration.ofSeconds(latencySeconds + 60L));
        sender.join();
        return latencies;
    }

    private static int inputSize(Path modelDir) throws IOException {
        return org.malariastream.classifier.model.ModelSpec.read(modelDir.resolve(CellModel.SPEC_FILE)).inputSize();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
