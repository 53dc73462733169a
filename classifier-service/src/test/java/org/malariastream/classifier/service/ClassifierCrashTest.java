package org.malariastream.classifier.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.CellPrediction;
import org.malariastream.classifier.cli.ClassifyCommand;
import org.malariastream.classifier.model.Locations;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.ChildJvm;

/**
 * The service as a process of its own, killed with SIGKILL in the middle of a stream and started again:
 * afterwards every image has exactly one committed prediction.
 */
class ClassifierCrashTest {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.startTemporary();
        CellImages.createTopics(stack, 3);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void killedMidStreamAndRestartedEveryImageHasExactlyOneCommittedPrediction() throws Exception {
        int total = 600;
        List<CellImages.Cell> cells = CellImages.real(total, "crash");
        CellImages.send(stack, cells.stream().map(CellImages.Cell::image).toList());

        Process first = classifier();
        List<CellPrediction> before;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        do {
            assertThat(first.isAlive()).as("classifier process alive").isTrue();
            assertThat(System.nanoTime()).as("waited too long for the first predictions").isLessThan(deadline);
            Thread.sleep(200);
            before = CellImages.readCommitted(stack, org.malariastream.schemas.Topics.CELL_PREDICTIONS.name(), 0, Duration.ofMillis(600));
        } while (before.size() < 60);
        first.destroyForcibly().waitFor();
        List<CellPrediction> atKill = CellImages.predictions(stack, 0, Duration.ofSeconds(2));
        assertThat(atKill.size()).as("killed in the middle of the stream").isLessThan(total);

        Process second = classifier();
        List<CellPrediction> after;
        try {
            after = CellImages.predictions(stack, total, Duration.ofMinutes(4));
        } finally {
            second.destroy();
            second.waitFor();
        }
        Map<String, Long> perEvent = after.stream().collect(Collectors.groupingBy(CellPrediction::getEventId, Collectors.counting()));
        assertThat(perEvent).as("one committed prediction per image").hasSize(total)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(after).hasSize(total);
    }

    /** A classifier process with a stable instance id, as a supervisor restarts it. */
    private static Process classifier() throws IOException {
        return ChildJvm.start(ClassifyCommand.class, List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--model", Locations.model(null).toString(),
                "--instance-id", "crash-1", "--batch-size", "16", "--http-port", "-1", "--device", "cpu"),
                Path.of("target", "classifier-crash.log"), "768m");
    }
}
