package org.malariastream.common.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, for health endpoints: one describeCluster call with a short timeout,
 * remembered for a few seconds so that frequent probes cost nothing.
 */
public final class KafkaHealth implements BooleanSupplier, AutoCloseable {
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Admin admin;
    private volatile long checkedAt;
    private volatile boolean up;

    public KafkaHealth(Map<String, Object> adminConfig) {
        Map<String, Object> cfg = new HashMap<>(adminConfig);
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2500);
        cfg.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "health");
        this.admin = Admin.create(cfg);
        this.checkedAt = System.nanoTime() - 2 * CACHE_NANOS;
    }

    @Override
    public boolean getAsBoolean() {
        long now = System.nanoTime();
        if (now - checkedAt > CACHE_NANOS) {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).clusterId().get(2500, TimeUnit.MILLISECONDS);
                up = true;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                up = false;
            }
            checkedAt = now;
        }
        return up;
    }

    @Override
    public void close() {
        admin.close();
    }
}
