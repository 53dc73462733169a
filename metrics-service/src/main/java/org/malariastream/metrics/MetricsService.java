package org.malariastream.metrics;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.TopicInitializer;
import org.malariastream.metrics.fhir.FhirReports;
import org.malariastream.metrics.http.HttpApi;
import org.malariastream.metrics.http.QueryService;
import org.malariastream.metrics.topology.MetricsSerdes;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.metrics.topology.MetricsTopology;
import org.malariastream.schemas.AvroClassTrust;
import org.malariastream.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics service: the Kafka Streams topology (exactly-once v2) and its HTTP surface. Start several
 * instances with the same application id to share the work; each serves the whole API (interactive queries).
 */
public final class MetricsService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsService.class);

    /**
     * @param applicationId  Streams application id: the consumer group, and the prefix of internal topics
     * @param stateDir       where this instance keeps its RocksDB stores (one per instance)
     * @param httpHost       the address the HTTP server binds to
     * @param httpPort       0 for any free port
     * @param advertisedHost how the other instances reach this one (Streams' {@code application.server})
     * @param commitInterval how often a transaction commits: results are visible downstream after it
     */
    public record Config(KafkaConnection connection, String applicationId, Path stateDir, String httpHost, int httpPort,
            String advertisedHost, int streamThreads, Duration commitInterval, long cacheBytes, MetricsSettings settings,
            boolean createTopics) {}

    private final Config config;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpApi http;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public MetricsService(Config config) {
        this.config = config;
        AvroClassTrust.install();
    }

    public MetricsService start() {
        if (config.createTopics()) {
            TopicInitializer.ensureTopics(config.connection().admin(), Optional.empty());
        }
        checkCoPartitioned(config.connection().admin());
        // HAPI scans its model classes and loads the R4 schemas on first use (seconds): do it now, not when
        // the first slide completes.
        new FhirReports(config.settings().presenceThresholdPct()).warmUp();

        http = new HttpApi(meters, () -> streams == null ? "CREATED" : streams.state().name())
                .start(config.httpHost(), config.httpPort());
        HostInfo self = new HostInfo(config.advertisedHost(), http.port());

        MetricsSerdes serdes = MetricsSerdes.fromRegistry(config.connection().common());
        Topology topology = MetricsTopology.build(config.settings(), serdes, meters);
        streams = new KafkaStreams(topology, streamsProperties(self));
        // A thread that dies (say the registry is down) is replaced; its task resumes from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed, replacing it: {}", e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        streams.start();
        http.serve(new QueryService(streams, self, config.settings().slidePriorSharpen()), config.settings().emitInterval().toMillis());
        log.info("Metrics service {} on http://{}:{} (Kafka {}, exactly-once v2)", config.applicationId(),
                config.advertisedHost(), http.port(), config.connection().bootstrapServers());
        return this;
    }

    Properties streamsProperties(HostInfo self) {
        Properties p = new Properties();
        // Client settings from the connection (security and the like), but not the serde-only keys.
        Map<String, Object> common = new HashMap<>(config.connection().extraProperties());
        common.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth.")
                || k.equals("specific.avro.reader") || k.equals("auto.register.schemas") || k.equals("use.latest.version")
                || k.endsWith(".subject.name.strategy") || k.endsWith(".serializer") || k.endsWith(".deserializer"));
        p.putAll(common);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.connection().bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheBytes());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // Changelog and output records leave in bigger batches (each transaction is flushed at commit anyway).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        return p;
    }

    /**
     * A cell's prediction and its label are joined in the task of their slide's partition, so both topics
     * must have the same number of partitions (and the producers' default partitioner, keyed by slide id).
     */
    static void checkCoPartitioned(Map<String, Object> adminConfig) {
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of(Topics.CELL_PREDICTIONS.name(), Topics.CELL_LABELS.name())).allTopicNames().get(30, TimeUnit.SECONDS);
            int predictions = topics.get(Topics.CELL_PREDICTIONS.name()).partitions().size();
            int labels = topics.get(Topics.CELL_LABELS.name()).partitions().size();
            if (predictions != labels) {
                throw new IllegalStateException(Topics.CELL_PREDICTIONS.name() + " has " + predictions + " partitions and "
                        + Topics.CELL_LABELS.name() + " " + labels + ": the metrics service joins them by slide, so"
                        + " both need the same count (kafka-topics --alter --partitions)");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot describe the input topics on "
                    + adminConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    public String baseUrl() {
        return "http://" + config.advertisedHost() + ":" + http.port();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Blocks until Streams is RUNNING (tasks assigned and stores restored), or throws after {@code timeout}. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not running after " + timeout + ": " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (streams != null) {
            // Leave the group, so the instances that stay (or this one restarted) take the tasks over at once
            // instead of after the session timeout.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        meters.close();
    }
}
