package org.malariastream.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry as a child process on 127.0.0.1, serving the Confluent Schema Registry API at
 * {@code /apis/ccompat/v7}. Storage is in memory, or an H2 database file that survives restarts.
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread stopOnExit;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.stopOnExit = ProcessControl.stopOnExit(process);
    }

    /**
     * Starts the registry and waits until its Confluent API answers.
     *
     * @param port the HTTP port, 0 for a free one
     * @param storageDir where the H2 database lives, or null for in-memory storage
     * @param logFile where the process writes its output
     */
    public static ApicurioRegistry start(int port, Path storageDir, Path logFile) {
        int httpPort = port > 0 ? port : FreePorts.pick();
        ApicurioDistribution dist = ApicurioDistribution.locate();
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add(StackManager.COMPONENT_PROPERTY + "registry");
        cmd.add("-Xmx320m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.add("-Dquarkus.management.host=127.0.0.1");
        cmd.add("-Dquarkus.management.port=0");
        // Confluent ids are content ids; canonical hashing makes lookups ignore JSON formatting.
        cmd.add("-Dapicurio.ccompat.use-canonical-hash=true");
        cmd.add("-Dapicurio.rest.deletion.artifact.enabled=true");
        if (storageDir != null) {
            cmd.add("-Dapicurio.datasource.url=jdbc:h2:file:" + storageDir.toAbsolutePath().resolve("registry"));
        }
        cmd.add("-jar");
        cmd.add(dist.runnerJar().toString());
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            if (storageDir != null) {
                Files.createDirectories(storageDir);
            }
            Process process = new ProcessBuilder(ProcessControl.detached(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            ApicurioRegistry registry = new ApicurioRegistry(process, httpPort, logFile);
            try {
                registry.awaitReady();
                registry.setDefaultCompatibility("BACKWARD");
            } catch (RuntimeException e) {
                registry.close(); // not left running with no one to stop it
                throw e;
            }
            log.info("Apicurio Registry {} ready at {} (pid {})", dist.version(), registry.url(), process.pid());
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Apicurio Registry", e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " while starting; see " + logFile);
            }
            if (isReady(confluentApiUrl())) {
                return;
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("Apicurio Registry did not answer within " + STARTUP_TIMEOUT + "; see " + logFile);
    }

    /**
     * Sets the registry-wide compatibility rule through the Confluent API. Confluent's registry defaults to
     * BACKWARD (a new schema must read data written with the previous one); Apicurio has no rule until told.
     */
    private void setDefaultCompatibility(String level) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("Setting " + level + " compatibility failed: " + res.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when a Confluent-API registry answers at the URL. */
    public static boolean isReady(String confluentApiUrl) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(confluentApiUrl + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the registry", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The URL to give clients as {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return url() + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ProcessControl.stop(process.toHandle(), Duration.ofSeconds(20));
        ProcessControl.release(stopOnExit);
    }

    /** Lets the registry outlive this JVM (a stack started by {@code ./malaria stack up}, its pid recorded). */
    void detach() {
        ProcessControl.release(stopOnExit);
    }
}
