package org.malariastream.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.malariastream.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the project's topics that do not exist yet; existing topics are left as they are. */
public final class TopicInitializer {
    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);

    private TopicInitializer() {}

    /** Every topic name the services use, Avro and FHIR. */
    public static List<String> topicNames() {
        List<String> names = new ArrayList<>(Topics.all().stream().map(Topics.Topic::name).toList());
        names.add(Topics.RESULTS_SLIDES_FHIR);
        return names;
    }

    /**
     * @param partitions partitions of each new topic, or empty for the broker's default
     * @return the topics this call created
     */
    public static List<String> ensureTopics(Map<String, Object> adminConfig, Optional<Integer> partitions) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topicNames().stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, Optional.empty()))
                    .toList();
            List<String> created = new ArrayList<>();
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                    created.add(name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("Creating topic " + name + " did not finish", e);
                }
            });
            if (!created.isEmpty()) {
                log.debug("Created topics {}", created);
            }
            return created;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics on " + adminConfig.get("bootstrap.servers"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
