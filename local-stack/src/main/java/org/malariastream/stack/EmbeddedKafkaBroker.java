package org.malariastream.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) inside this JVM, on 127.0.0.1.
 * Its log directory survives {@link #close()}: starting again on the same directory keeps every topic.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path logDir, int port, int controllerPort, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /** Starts a broker on the given ports (0 picks free ones), formatting the log directory on first use. */
    public static EmbeddedKafkaBroker start(Path logDir, int port, int controllerPort) {
        int brokerPort = port > 0 ? port : FreePorts.pick();
        int ctrlPort = controllerPort > 0 ? controllerPort : FreePorts.pick();
        try {
            Files.createDirectories(logDir);
            Properties props = config(logDir, brokerPort, ctrlPort);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir, props);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            log.info("Kafka broker listening on 127.0.0.1:{} (controller {}), data in {}", brokerPort, ctrlPort, logDir);
            return new EmbeddedKafkaBroker(logDir, brokerPort, ctrlPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka broker in " + logDir, e);
        }
    }

    static Properties config(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic has a single replica, and fewer partitions start faster.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        // The default dedupe buffer takes 128 MiB of heap; compacted topics here are small.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        return p;
    }

    private static void format(Path logDir, Properties props) throws IOException {
        Path cfg = logDir.resolve("format.properties");
        try (var out = Files.newOutputStream(cfg)) {
            props.store(out, "written to format the KRaft log directory");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        int rc = StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", cfg.toString(), "--ignore-formatted"},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(cfg);
        if (rc != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed: " + buffer);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker on port {} stopped", port);
    }
}
