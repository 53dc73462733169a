package org.malariastream.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Kafka broker in this JVM and an Apicurio Registry child process: what integration tests run against.
 * Everything listens on 127.0.0.1 on free ports; data lives under {@link #dataDir()}.
 */
public final class LocalStack implements AutoCloseable {
    private final Path dataDir;
    private final boolean deleteOnClose;
    private EmbeddedKafkaBroker broker;
    private final ApicurioRegistry registry;

    private LocalStack(Path dataDir, boolean deleteOnClose, EmbeddedKafkaBroker broker, ApicurioRegistry registry) {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.broker = broker;
        this.registry = registry;
    }

    /** A throw-away stack in a temporary directory, removed on close; registry storage in memory. */
    public static LocalStack startTemporary() {
        try {
            return start(Files.createTempDirectory("malaria-stack-"), false, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a stack on a data directory. With {@code persistentRegistry} the registry keeps its schemas in
     * the directory too, so that a restart on the same directory keeps topics, records and schema ids.
     */
    public static LocalStack start(Path dataDir, boolean persistentRegistry, boolean deleteOnClose) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0, 0);
        try {
            ApicurioRegistry registry = ApicurioRegistry.start(0,
                    persistentRegistry ? dataDir.resolve("registry") : null, dataDir.resolve("logs/registry.log"));
            return new LocalStack(dataDir, deleteOnClose, broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The Confluent Schema Registry API base URL, as clients take it in {@code schema.registry.url}. */
    public String schemaRegistryUrl() {
        return registry.confluentApiUrl();
    }

    public Path dataDir() {
        return dataDir;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** Stops the broker, for fault tests; {@link #startBroker()} brings it back on the same ports and data. */
    public void stopBroker() {
        broker.close();
    }

    public void startBroker() {
        broker = EmbeddedKafkaBroker.start(broker.logDir(), broker.port(), broker.controllerPort());
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
            if (deleteOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
