package org.malariastream.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

@ExtendWith(LocalStackExtension.class)
class TopicInitializerTest {
    @Test
    void createsEveryMissingTopicOnceWithTheAskedPartitions(LocalStack stack) throws Exception {
        Map<String, Object> admin = Map.of("bootstrap.servers", stack.bootstrapServers());
        assertThat(TopicInitializer.ensureTopics(admin, Optional.of(4)))
                .containsExactlyInAnyOrderElementsOf(TopicInitializer.topicNames())
                .contains(Topics.CELL_IMAGES.name(), Topics.RESULTS_SLIDES_FHIR);
        assertThat(TopicInitializer.ensureTopics(admin, Optional.of(4))).isEmpty();
        try (Admin client = Admin.create(admin)) {
            TopicDescription images = client.describeTopics(java.util.List.of(Topics.CELL_IMAGES.name()))
                    .allTopicNames().get().get(Topics.CELL_IMAGES.name());
            assertThat(images.partitions()).hasSize(4);
        }
    }
}
