package org.malariastream.classifier.service;

import java.nio.file.Path;
import java.time.Duration;
import org.malariastream.common.image.ImageLimits;

/**
 * How the classifier service runs.
 *
 * @param groupId consumer group: instances with the same group share the partitions of cells.images
 * @param instanceId unique per running instance and stable across its restarts (it names the transactional
 *     producer, so a restarted instance aborts its predecessor's open transaction at once)
 * @param staticMembership whether the instance id is also the consumer's static group membership: a restarted
 *     instance then takes its partitions back at once, without waiting for the group to time out its predecessor
 * @param maxBatch images per forward pass
 * @param maxBatchWait how long to wait for a batch to fill
 * @param commitInterval how long a transaction may stay open over several batches
 * @param httpPort port of /health and /metrics; negative for none
 */
public record ClassifierSettings(String groupId, String instanceId, boolean staticMembership, Path modelDir, String device, int maxBatch,
        Duration maxBatchWait, Duration commitInterval, ImageLimits limits, String httpHost, int httpPort) {}
