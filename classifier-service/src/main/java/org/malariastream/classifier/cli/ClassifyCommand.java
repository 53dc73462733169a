package org.malariastream.classifier.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.service.ClassifierService;
import org.malariastream.classifier.service.ClassifierSettings;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.ShutdownSignal;
import org.malariastream.common.image.ImageLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./malaria classify}: the streaming classifier. */
@Command(name = "classify", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Consume cell images (cells.images), classify them in micro-batches with the MobileNetV2 model"
                + " through DJL, and produce one prediction per image (cells.predictions), exactly once: predictions,"
                + " dead letters (cells.images.dlq) and consumer offsets are committed in one Kafka transaction.",
            "Several instances with the same --group share the partitions. /health and /metrics on --http-port."
                + " Stops cleanly on SIGTERM or Ctrl-C (the batch in hand is finished and committed)."})
public final class ClassifyCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "${env:MALARIA_MODEL}",
            description = "Model folder (model.json + weights). Env: MALARIA_MODEL. Default: the committed model under models/.")
    Path model;

    @Option(names = "--device", defaultValue = "${env:MALARIA_DEVICE:-auto}",
            description = "auto (a GPU when DJL finds CUDA libtorch, else the CPU), cpu, or gpu. Env: MALARIA_DEVICE."
                    + " Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--batch-size", defaultValue = "${env:MALARIA_CLASSIFIER_BATCH_SIZE:-32}",
            description = "Most images per forward pass. Env: MALARIA_CLASSIFIER_BATCH_SIZE. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-batch-wait-ms", defaultValue = "${env:MALARIA_CLASSIFIER_MAX_BATCH_WAIT_MS:-20}",
            description = "Longest wait for a batch to fill. Env: MALARIA_CLASSIFIER_MAX_BATCH_WAIT_MS. Default: ${DEFAULT-VALUE}.")
    long maxBatchWaitMs;

    @Option(names = "--commit-interval-ms", defaultValue = "${env:MALARIA_CLASSIFIER_COMMIT_INTERVAL_MS:-100}",
            description = "Longest a transaction stays open over several batches (latency against throughput)."
                    + " Env: MALARIA_CLASSIFIER_COMMIT_INTERVAL_MS. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--threads", defaultValue = "${env:MALARIA_CLASSIFIER_THREADS:-0}",
            description = "libtorch threads for the forward pass; 0 for one per core. Env: MALARIA_CLASSIFIER_THREADS.")
    int threads;

    @Option(names = "--group", defaultValue = "${env:MALARIA_CLASSIFIER_GROUP:-classifier}",
            description = "Consumer group shared by the instances. Env: MALARIA_CLASSIFIER_GROUP. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--instance-id", defaultValue = "${env:MALARIA_CLASSIFIER_INSTANCE_ID}",
            description = "Unique per instance and stable across its restarts (e.g. a pod name): it names the transactional"
                    + " producer and the static group membership, so a restarted instance aborts its predecessor's open"
                    + " transaction and takes its partitions back at once. Env: MALARIA_CLASSIFIER_INSTANCE_ID."
                    + " Default: the host name and a random suffix (a crashed instance's work then waits ~10 s).")
    String instanceId;

    @Option(names = "--http-host", defaultValue = "${env:MALARIA_CLASSIFIER_HOST:-127.0.0.1}",
            description = "Interface of /health and /metrics. Env: MALARIA_CLASSIFIER_HOST. Default: ${DEFAULT-VALUE}.")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "${env:MALARIA_CLASSIFIER_PORT:-8092}",
            description = "Port of /health and /metrics; 0 for a free one, -1 for none. Env: MALARIA_CLASSIFIER_PORT."
                    + " Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Override
    @SuppressWarnings("try") // the service works by being open
    public Integer call() throws Exception {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        boolean stableId = instanceId != null && !instanceId.isBlank();
        ClassifierSettings settings = new ClassifierSettings(group, instanceId(), stableId, Locations.model(model), device,
                batchSize, Duration.ofMillis(maxBatchWaitMs), Duration.ofMillis(commitIntervalMs), ImageLimits.DEFAULT,
                httpHost, httpPort);
        ShutdownSignal signal = ShutdownSignal.install("classifier", Duration.ofSeconds(40));
        try (ClassifierService service = new ClassifierService(kafka.resolve(), settings).start(settings)) {
            while (!signal.await(Duration.ofSeconds(1))) {
                if (!service.running()) {
                    return 1; // the loop died: exit, so that a supervisor restarts the instance
                }
            }
        } finally {
            signal.release();
        }
        return 0;
    }

    private String instanceId() {
        if (instanceId != null && !instanceId.isBlank()) {
            return instanceId;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClassifyCommand()).execute(args));
    }
}
