package org.malariastream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.classifier.cli.ClassifyCommand;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.SharedData;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.ingest.hotfolder.HotFolder;
import org.malariastream.ingest.hotfolder.InboxCounts;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.EventIds;
import org.malariastream.ingest.intake.IntakeProducer;
import org.malariastream.ingest.replay.DatasetReplay;
import org.malariastream.metrics.MetricsService;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.ChildJvm;

/** Faults in the running chain; each test counts that no cell was lost or counted twice. */
class FaultTest {
    @Test
    void brokerStoppedAndRestartedWhileTheHotFolderPublishesLosesNothing(@TempDir Path dir) throws Exception {
        try (LocalStack stack = LocalStack.start(dir.resolve("stack"), false, true)) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(3));
            Path inbox = dir.resolve("inbox");
            List<Path> sources;
            try (Stream<Path> s = Files.list(SharedData.cellImages().resolve("Parasitized"))) {
                sources = s.sorted().limit(300).toList();
            }
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < sources.size(); i++) {
                Path slide = Files.createDirectories(inbox.resolve("slide-" + (i / 50)));
                Files.copy(sources.get(i), slide.resolve("cell_" + i + ".png"));
                expected.add(EventIds.of("fault-hotfolder", "slide-" + (i / 50), "cell_" + i));
            }
            Map<String, Object> producerConfig = new java.util.HashMap<>(connection.producer("fault"));
            Producer<String, Object> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(producerConfig);
            try (producer; CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), new SimpleMeterRegistry())) {
                HotFolder folder = new HotFolder(new HotFolder.Settings(inbox, "fault-hotfolder", Duration.ZERO,
                        Duration.ofMillis(50), 20), intake);
                Thread watcher = new Thread(() -> {
                    try {
                        folder.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                watcher.start();
                await(() -> InboxCounts.done(inbox) >= 60, Duration.ofMinutes(2));
                stack.stopBroker();
                int doneWhileDown = InboxCounts.done(inbox);
                Thread.sleep(3000);
                assertThat(InboxCounts.done(inbox)).as("nothing is moved out while Kafka cannot acknowledge it")
                        .isLessThanOrEqualTo(doneWhileDown + 20);
                assertThat(InboxCounts.waiting(inbox)).as("files wait in the inbox").isPositive();
                stack.startBroker();
                await(() -> InboxCounts.waiting(inbox) == 0, Duration.ofMinutes(3));
                watcher.interrupt();
                watcher.join();
            }
            assertThat(InboxCounts.done(inbox)).isEqualTo(300);
            List<CellImage> events = Chain.readCommitted(connection, Topics.CELL_IMAGES.name(), 300, Duration.ofMinutes(1));
            assertThat(events.stream().map(CellImage::getEventId).collect(Collectors.toSet())).isEqualTo(expected);
        }
    }

    @Test
    void classifierKilledMidStreamAndRestartedLeavesExactPredictionsAndMetrics(@TempDir Path dir) throws Exception {
        try (LocalStack stack = LocalStack.start(dir.resolve("stack"), false, true)) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
            TopicInitializer.ensureTopics(connection.admin(), Optional.of(3));
            Map<String, List<NihLayout.CellFile>> slides = TestDatasets.slides(dir.resolve("cell_images"), 10, 40, 80);
            int cells = slides.values().stream().mapToInt(List::size).sum();
            RunningSystem.Settings s = EndToEndTest.settings(dir);
            try (MetricsService metrics = new MetricsService(new MetricsService.Config(connection, "malaria-metrics",
                    dir.resolve("metrics"), "127.0.0.1", 0, "127.0.0.1", 1, Duration.ofMillis(300), 16L << 20, s.metrics(), true)).start();
                 Producer<String, Object> producer = IntakeProducer.create(connection, "fault");
                 CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), new SimpleMeterRegistry())) {
                new DatasetReplay(new DatasetReplay.Settings(dir.resolve("cell_images"), "fault", 0, 0, true, 500), intake)
                        .run(new EndToEndTest.NoProgress());

                Process first = classifier(stack);
                await(() -> Chain.<CellPrediction>readCommitted(connection, Topics.CELL_PREDICTIONS.name(), 0,
                        Duration.ofMillis(500)).size() >= cells / 5, Duration.ofMinutes(3));
                first.destroyForcibly().waitFor();
                Process second = classifier(stack);
                List<CellPrediction> predictions;
                try {
                    predictions = Chain.readCommitted(connection, Topics.CELL_PREDICTIONS.name(), cells, Duration.ofMinutes(4));
                } finally {
                    second.destroy();
                    second.waitFor();
                }
                Map<String, Long> perEvent = predictions.stream().collect(Collectors.groupingBy(CellPrediction::getEventId, Collectors.counting()));
                assertThat(perEvent).hasSize(cells).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
                await(() -> metrics.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                        && modelCount(metrics) == cells, Duration.ofMinutes(2));
                assertThat(modelCount(metrics)).as("each labelled cell counted once").isEqualTo(cells);
            }
        }
    }

    private static long modelCount(MetricsService metrics) {
        try {
            String body = new String(new java.net.URL(metrics.baseUrl() + "/api/models").openStream().readAllBytes());
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            return json.size() == 0 ? 0 : json.get(0).get("count").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Process classifier(LocalStack stack) throws IOException {
        return ChildJvm.start(ClassifyCommand.class, List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--model", RunningSystem.defaultModel().toString(),
                "--instance-id", "fault-1", "--batch-size", "16", "--http-port", "-1", "--device", "cpu"),
                Path.of("target", "fault-classifier.log"), "768m");
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
