package org.malariastream.launcher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.ShutdownSignal;
import org.malariastream.common.SharedData;
import org.malariastream.common.TopicInitializer;
import org.malariastream.ingest.replay.DatasetReplay;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.stack.StackManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria up}: the whole system on this machine, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Run the whole system on this machine: the embedded Kafka broker and schema registry (unless"
                + " KAFKA_BOOTSTRAP_SERVERS names a cluster), the classifier, the metrics service with its QA page, and"
                + " the ingest HTTP API and hot folder. Prints where everything is; Ctrl-C stops it all cleanly.",
            "--replay also sends a labelled dataset through the whole chain, so that the QA page fills within a minute."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--replay", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "Replay a dataset in the NIH layout with its labels once the services run."
                    + " Without DIR: the NIH images in the shared directory.")
    String replay;

    // The whole chain keeps up with about 110 cells/s on 2 cores (bench e2e), so the default stays live there.
    @Option(names = "--replay-rate", defaultValue = "80", paramLabel = "N",
            description = "Cells per second of the replay, like a scanner sending them. Default: ${DEFAULT-VALUE}.")
    double replayRate;

    @Option(names = "--replay-limit", defaultValue = "0", paramLabel = "K", description = "Replay at most K cells (0: all).")
    int replayLimit;

    @Option(names = "--ingest-port", defaultValue = "8090", description = "Ingest HTTP port. Default: ${DEFAULT-VALUE}.")
    int ingestPort;

    @Option(names = "--classifier-port", defaultValue = "8092", description = "Classifier /metrics port. Default: ${DEFAULT-VALUE}.")
    int classifierPort;

    @Option(names = "--metrics-port", defaultValue = "8083", description = "QA page and API port. Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--inbox", paramLabel = "DIR", description = "The hot folder. Default: <MALARIA_HOME>/inbox.")
    Path inbox;

    @Option(names = "--model", paramLabel = "DIR", description = "Model folder. Default: the committed model.")
    Path model;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path home = MalariaHome.resolve();
        Path images = replayDirectory();
        // From here on a Ctrl-C, even during start-up, lets this thread stop what it started before the JVM exits.
        ShutdownSignal signal = ShutdownSignal.install("up", Duration.ofSeconds(60));
        StackManager stack = new StackManager(home.resolve("stack"));
        boolean startedStack = false;
        RunningSystem system = null;
        try {
            KafkaConnection connection;
            if (kafka.namesACluster()) {
                connection = kafka.resolve();
            } else {
                // Started here only when nothing of it runs: one the user started, slow or half up, stays theirs.
                startedStack = stack.status().noneAlive();
                if (startedStack) {
                    out.println("Starting the embedded Kafka broker and schema registry ...");
                    out.flush();
                }
                StackManager.Status status = stack.up();
                connection = new KafkaConnection(status.broker().address(), status.registry().address(),
                        kafka.resolve(Map.of(KafkaConnectionOptions.BOOTSTRAP_ENV, status.broker().address(),
                                KafkaConnectionOptions.REGISTRY_ENV, status.registry().address())).extraProperties());
            }
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(3));
            Path hotFolder = inbox != null ? inbox : home.resolve("inbox");
            out.println("Starting the classifier, metrics and ingest services ...");
            out.flush();
            system = RunningSystem.start(connection, new RunningSystem.Settings(home.resolve("up"), hotFolder,
                    model != null ? model : RunningSystem.defaultModel(), "127.0.0.1", ingestPort, classifierPort,
                    metricsPort, MetricsSettings.defaults(), Duration.ofSeconds(1)));
            printWhereEverythingIs(out, system, connection, hotFolder, startedStack);
            if (images != null) {
                replay(images, system, out);
            }
            signal.await();
            out.println();
            out.println("Stopping ...");
            out.flush();
            return 0;
        } finally {
            if (system != null) {
                system.close();
            }
            if (startedStack) {
                stack.down();
            }
            signal.release();
        }
    }

    private static void printWhereEverythingIs(PrintWriter out, RunningSystem system, KafkaConnection connection,
            Path hotFolder, boolean startedStack) {
        out.println();
        out.println("malaria-stream is up:");
        out.printf("  QA page (live model quality, slides)  %s%n", system.qaPage());
        out.printf("  REST API                              %sapi/models, %sapi/slides?status=complete%n", system.qaPage(), system.qaPage());
        out.printf("  Ingest HTTP (scanners)                POST http://127.0.0.1:%d/v1/slides/{slideId}/cells/{cellId}"
                + "  (OpenAPI: /openapi.json)%n", system.ingestPort());
        out.printf("  Hot folder                            %s/<slideId>/<cellId>.png%n", hotFolder);
        out.printf("  Classifier health and metrics         http://127.0.0.1:%d/health, /metrics%n", system.classifierPort());
        out.printf("  Kafka, schema registry                %s, %s%n", connection.bootstrapServers(), connection.schemaRegistryUrl());
        out.println("Ctrl-C stops everything" + (startedStack ? " (the embedded stack too; its data is kept)." : "."));
        out.flush();
    }

    /** The dataset to replay, or null for none; a clear error when there is none to be had. */
    private Path replayDirectory() {
        if (replay == null) {
            return null;
        }
        Path dir = replay.isEmpty() ? SharedData.cellImages() : Path.of(replay);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No dataset to replay at " + dir.toAbsolutePath() + ". Get the NIH"
                    + " malaria dataset (NIH / U.S. National Library of Medicine \"Malaria Datasets\", cell_images.zip),"
                    + " unzip it and run ./malaria up --replay <dir>/cell_images, or set MALARIA_SHARED_DIR to a folder"
                    + " holding data/malaria-cells/cell_images.");
        }
        return dir;
    }

    private void replay(Path images, RunningSystem system, PrintWriter out) {
        Thread replayer = new Thread(() -> {
            try {
                out.printf("Replaying %s with labels at %.0f cells/s; watch %s%n", images, replayRate, system.qaPage());
                out.flush();
                DatasetReplay.Summary s = new DatasetReplay(new DatasetReplay.Settings(images, "replay", replayRate,
                        replayLimit, true, 2000), system.intake).run(new DatasetReplay.Progress() {
                            @Override
                            public void started(int total) {
                            }

                            @Override
                            public void advanced(int done, int rejected) {
                                if (done % 1000 == 0) {
                                    out.printf("  replayed %d cells%n", done);
                                    out.flush();
                                }
                            }
                        });
                out.printf("Replay done: %d cells of %d slides published, %d rejected, %d labels in %.0f s%n",
                        s.published(), s.slides(), s.rejectedTotal(), s.labels(), s.elapsed().toMillis() / 1000.0);
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                out.println("Replay stopped: " + e.getMessage());
                out.flush();
            }
        }, "replay");
        replayer.setDaemon(true);
        replayer.start();
    }
}
