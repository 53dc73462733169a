package org.malariastream.classifier.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.CellPrediction;
import org.malariastream.stack.LocalStack;

/** Two instances in one consumer group split the partitions and together produce one prediction per image. */
class ClassifierScaleOutTest {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.startTemporary();
        CellImages.createTopics(stack, 4);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void twoInstancesShareThePartitionsAndProduceExactlyOnePredictionEach() throws Exception {
        int total = 400;
        List<CellImages.Cell> cells = CellImages.real(total, "scale");
        try (ClassifierService a = new ClassifierService(CellImages.connection(stack), ClassifierServiceTest.settings("scale-a", -1));
             ClassifierService b = new ClassifierService(CellImages.connection(stack), ClassifierServiceTest.settings("scale-b", -1))) {
            a.start(ClassifierServiceTest.settings("scale-a", -1));
            b.start(ClassifierServiceTest.settings("scale-b", -1));
            // Both must own partitions before the images arrive, or the first could finish them alone.
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(1).toMillis();
            while (!(a.assignedPartitions() > 0 && b.assignedPartitions() > 0 && a.assignedPartitions() + b.assignedPartitions() == 4)) {
                assertThat(System.currentTimeMillis()).as("both instances joined the group").isLessThan(deadline);
                Thread.sleep(100);
            }
            CellImages.send(stack, cells.stream().map(CellImages.Cell::image).toList());
            List<CellPrediction> predictions = CellImages.predictions(stack, total, Duration.ofMinutes(4));
            Map<String, Long> perEvent = predictions.stream()
                    .collect(Collectors.groupingBy(CellPrediction::getEventId, Collectors.counting()));
            assertThat(perEvent).hasSize(total).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(a.predicted()).as("instance a did part of the work").isPositive();
            assertThat(b.predicted()).as("instance b did part of the work").isPositive();
            assertThat(a.predicted() + b.predicted()).isEqualTo(total);
        }
    }
}
