package org.malariastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void everyTopicNameIsUniqueAndLegalForKafka() {
        Set<String> names = new HashSet<>();
        for (Topics.Topic topic : Topics.all()) {
            Topic.validate(topic.name());
            assertThat(names.add(topic.name())).as("duplicate topic " + topic.name()).isTrue();
        }
        assertThat(names).doesNotContain(Topics.RESULTS_SLIDES_FHIR);
        Topic.validate(Topics.RESULTS_SLIDES_FHIR);
    }

    @Test
    void deadLetterTopicsEndInDlq() {
        assertThat(Topics.all()).filteredOn(t -> t.valueType().getSimpleName().equals("DeadLetter"))
                .extracting(Topics.Topic::name)
                .allMatch(n -> n.endsWith(".dlq"))
                .hasSize(3);
    }
}
