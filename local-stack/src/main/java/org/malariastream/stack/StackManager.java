package org.malariastream.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The embedded stack as background processes for {@code ./malaria stack up|down|status}: a KRaft broker
 * ({@link BrokerMain}) and Apicurio Registry, each its own JVM, with data, logs and a state file under one
 * home directory, so that the stack keeps its topics and schemas across restarts.
 */
public final class StackManager {
    private static final String STATE_FILE = "stack.properties";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration BROKER_STARTUP = Duration.ofSeconds(90);
    /** Marks our processes on their command line, where a status check can find them. */
    static final String COMPONENT_PROPERTY = "-Dmalaria.stack.component=";
    private static final String BROKER_MARKER = COMPONENT_PROPERTY + "broker";
    private static final String REGISTRY_MARKER = COMPONENT_PROPERTY + "registry";

    private final Path home;

    /** @param home the stack's directory, e.g. {@code .malaria/stack} */
    public StackManager(Path home) {
        this.home = home.toAbsolutePath();
    }

    /** One process of the stack as it is now. */
    public record Component(String name, long pid, boolean running, String address, Path dataDir, Path log) {}

    /** Both processes; {@link #running()} when both answer. */
    public record Status(Component broker, Component registry) {
        public boolean running() {
            return broker.running() && registry.running();
        }

        public boolean stopped() {
            return !broker.running() && !registry.running();
        }

        /** Neither recorded process is alive, answering or not. */
        public boolean noneAlive() {
            return broker.pid() < 0 && registry.pid() < 0;
        }
    }

    public Path home() {
        return home;
    }

    /** Starts whatever part of the stack is not running and waits until both answer. */
    public Status up() {
        Properties state = readState();
        Status before = status(state);
        if (before.running()) {
            return before;
        }
        try {
            Files.createDirectories(logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + logDir(), e);
        }
        // A recorded process that is alive but does not answer yet (still starting, or slow on a loaded machine)
        // is waited for: a second one on the same data would fail on its locks, or take the first one's place.
        if (before.broker().pid() > 0 && !before.broker().running()) {
            awaitAnswer(state, Status::broker, BROKER_STARTUP);
        } else if (!before.broker().running()) {
            startBroker(state);
        }
        if (before.registry().pid() > 0 && !before.registry().running()) {
            awaitAnswer(state, Status::registry, ApicurioRegistry.STARTUP_TIMEOUT);
        } else if (!before.registry().running()) {
            startRegistry(state);
        }
        state.setProperty("startedAt", Instant.now().toString());
        writeState(state);
        return status(state);
    }

    /**
     * {@link #up} for a throw-away stack (a bench's): it is also stopped when this JVM exits, on Ctrl-C or SIGTERM
     * too, where the caller's own {@code finally} would not run.
     */
    public Status upForThisJvm() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (Files.exists(home.resolve(STATE_FILE))) { // not once the caller has stopped it and removed it
                down();
            }
        }, "stack-down"));
        return up();
    }

    /** Stops both processes (SIGTERM, then SIGKILL after a grace period) and leaves the data in place. */
    public Status down() {
        Properties state = readState();
        stop(state, "registry", REGISTRY_MARKER);
        stop(state, "broker", BROKER_MARKER);
        writeState(state);
        return status(state);
    }

    public Status status() {
        return status(readState());
    }

    /** The Kafka bootstrap servers of the stack, when it runs. */
    public Optional<String> bootstrapServers() {
        Status s = status();
        return s.broker().running() ? Optional.of(s.broker().address()) : Optional.empty();
    }

    /** The Confluent-API registry URL of the stack, when it runs. */
    public Optional<String> schemaRegistryUrl() {
        Status s = status();
        return s.registry().running() ? Optional.of(s.registry().address()) : Optional.empty();
    }

    private void startBroker(Properties state) {
        int port = FreePorts.preferOrPick(intProp(state, "broker.port"));
        int controllerPort = FreePorts.preferOrPick(intProp(state, "broker.controllerPort"));
        Path log = logDir().resolve("broker.log");
        List<String> cmd = List.of(ApicurioRegistry.javaExecutable(), BROKER_MARKER, "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=malaria-broker-log4j2.xml", BrokerMain.class.getName(),
                home.resolve("kafka").toString(), Integer.toString(port), Integer.toString(controllerPort));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(ProcessControl.detached(cmd));
            // The class path goes by environment: on the command line it would push the marker out of the
            // 4 KiB that the status check can read.
            builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker", e);
        }
        Thread stopOnExit = ProcessControl.stopOnExit(process);
        awaitBroker(process, "127.0.0.1:" + port, log);
        state.setProperty("broker.pid", Long.toString(process.pid()));
        state.setProperty("broker.port", Integer.toString(port));
        state.setProperty("broker.controllerPort", Integer.toString(controllerPort));
        writeState(state);
        ProcessControl.release(stopOnExit); // running and recorded: `stack down` can stop it now
    }

    private void startRegistry(Properties state) {
        int port = FreePorts.preferOrPick(intProp(state, "registry.port"));
        ApicurioRegistry registry = ApicurioRegistry.start(port, home.resolve("registry"), logDir().resolve("registry.log"));
        state.setProperty("registry.pid", Long.toString(registry.pid()));
        state.setProperty("registry.port", Integer.toString(registry.port()));
        writeState(state);
        registry.detach();
    }

    private static void awaitBroker(Process process, String bootstrap, Path log) {
        long deadline = System.nanoTime() + BROKER_STARTUP.toNanos();
        Map<String, Object> cfg = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(cfg)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
                            + " while starting; see " + log);
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessControl.stop(process.toHandle(), STOP_GRACE);
        throw new IllegalStateException("The Kafka broker did not answer on " + bootstrap + " within "
                + BROKER_STARTUP.toSeconds() + " s; see " + log);
    }

    private void awaitAnswer(Properties state, Function<Status, Component> part, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Component c = part.apply(status(state));
        while (!c.running()) {
            if (c.pid() < 0) {
                throw new IllegalStateException(c.name() + " exited before it answered; see " + c.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(c.name() + " (pid " + c.pid() + ") runs but has not answered at "
                        + c.address() + " for " + timeout.toSeconds() + " s; see " + c.log()
                        + ", or stop it with ./malaria stack down");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + c.name(), e);
            }
            c = part.apply(status(state));
        }
    }

    private void stop(Properties state, String name, String marker) {
        ours(state, name, marker).ifPresent(p -> ProcessControl.stop(p, STOP_GRACE));
        state.remove(name + ".pid");
    }

    private Status status(Properties state) {
        Optional<ProcessHandle> broker = ours(state, "broker", BROKER_MARKER);
        Optional<ProcessHandle> registry = ours(state, "registry", REGISTRY_MARKER);
        int brokerPort = intProp(state, "broker.port");
        int registryPort = intProp(state, "registry.port");
        String registryUrl = "http://127.0.0.1:" + registryPort + ApicurioRegistry.CONFLUENT_API_PATH;
        return new Status(
                new Component("Kafka broker (KRaft)", broker.map(ProcessHandle::pid).orElse(-1L),
                        broker.isPresent() && brokerPort > 0 && FreePorts.isListening(brokerPort),
                        "127.0.0.1:" + brokerPort, home.resolve("kafka"), logDir().resolve("broker.log")),
                new Component("Apicurio Registry (Confluent API)", registry.map(ProcessHandle::pid).orElse(-1L),
                        registry.isPresent() && registryPort > 0 && ApicurioRegistry.isReady(registryUrl),
                        registryUrl, home.resolve("registry"), logDir().resolve("registry.log")));
    }

    /** The recorded process, if it is alive and really ours (a pid can be reused after a reboot). */
    private static Optional<ProcessHandle> ours(Properties state, String name, String marker) {
        String pid = state.getProperty(name + ".pid");
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    private Path logDir() {
        return home.resolve("logs");
    }

    private static int intProp(Properties state, String key) {
        return Integer.parseInt(state.getProperty(key, "0"));
    }

    private Properties readState() {
        Properties state = new Properties();
        Path file = home.resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return state;
    }

    private void writeState(Properties state) {
        try {
            Files.createDirectories(home);
            Path tmp = home.resolve(STATE_FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                state.store(out, "./malaria stack: processes and ports of the embedded stack");
            }
            Files.move(tmp, home.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the stack state in " + home, e);
        }
    }
}
