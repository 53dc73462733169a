package org.malariastream.metrics.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.ShutdownSignal;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.topology.MetricsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria metrics}: the metrics service, until Ctrl-C. Each setting once, with its variable. */
@Command(name = "metrics", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Live model quality and per-slide parasitaemia (Kafka Streams, exactly-once v2):"
                + " reads cells.predictions and cells.labels; writes metrics.model, metrics.slides, results.slides,"
                + " results.slides.fhir and metrics.dlq; serves the REST API, the QA page (/) and /metrics.",
            "Run more instances with the same --application-id to share the work (each on its own --http-port)."})
public final class MetricsCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--application-id", defaultValue = "${env:MALARIA_METRICS_APPLICATION_ID:-malaria-metrics}",
            description = "Kafka Streams application id (consumer group, internal topic prefix). Env: MALARIA_METRICS_APPLICATION_ID. Default: ${DEFAULT-VALUE}.")
    String applicationId;

    @Option(names = "--http-host", defaultValue = "${env:MALARIA_METRICS_HTTP_HOST:-127.0.0.1}",
            description = "Address the HTTP server binds to (0.0.0.0 in a container). Env: MALARIA_METRICS_HTTP_HOST. Default: ${DEFAULT-VALUE}.")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "${env:MALARIA_METRICS_HTTP_PORT:-8083}",
            description = "HTTP port of the API, the QA page and /metrics (0: any free port). Env: MALARIA_METRICS_HTTP_PORT. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--advertised-host", defaultValue = "${env:MALARIA_METRICS_ADVERTISED_HOST}",
            description = "Host name other instances use to reach this one. Env: MALARIA_METRICS_ADVERTISED_HOST."
                    + " Default: --http-host, or this machine's name when that is 0.0.0.0.")
    String advertisedHost;

    @Option(names = "--state-dir", defaultValue = "${env:MALARIA_METRICS_STATE_DIR}",
            description = "Where this instance keeps its state stores. Env: MALARIA_METRICS_STATE_DIR."
                    + " Default: $MALARIA_HOME/metrics/state-<http port>.")
    Path stateDir;

    @Option(names = "--threads", defaultValue = "${env:MALARIA_METRICS_STREAM_THREADS:-1}",
            description = "Stream threads. Env: MALARIA_METRICS_STREAM_THREADS. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--window", defaultValue = "${env:MALARIA_METRICS_WINDOW:-5m}", converter = DurationConverter.class,
            description = "Tumbling window of the windowed model metrics. Env: MALARIA_METRICS_WINDOW. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--window-retention", defaultValue = "${env:MALARIA_METRICS_WINDOW_RETENTION:-24h}", converter = DurationConverter.class,
            description = "How long behind the newest window older windows are kept. Env: MALARIA_METRICS_WINDOW_RETENTION. Default: ${DEFAULT-VALUE}.")
    Duration windowRetention;

    @Option(names = "--slide-idle-timeout", defaultValue = "${env:MALARIA_METRICS_SLIDE_IDLE_TIMEOUT:-10m}", converter = DurationConverter.class,
            description = "A slide without new predictions for this long is complete (when its expected count never"
                    + " comes; labels do not count)."
                    + " Env: MALARIA_METRICS_SLIDE_IDLE_TIMEOUT. Default: ${DEFAULT-VALUE}.")
    Duration slideIdleTimeout;

    @Option(names = "--emit-interval", defaultValue = "${env:MALARIA_METRICS_EMIT_INTERVAL:-1s}", converter = DurationConverter.class,
            description = "How often running results and model metrics are published and the QA page updated."
                    + " Env: MALARIA_METRICS_EMIT_INTERVAL. Default: ${DEFAULT-VALUE}.")
    Duration emitInterval;

    @Option(names = "--commit-interval", defaultValue = "${env:MALARIA_METRICS_COMMIT_INTERVAL:-1s}", converter = DurationConverter.class,
            description = "Exactly-once transaction commit interval: results become visible downstream at each commit."
                    + " Once a second matches the emit interval; 100ms (Kafka's exactly-once default) costs about 40%"
                    + " of the throughput here. Env: MALARIA_METRICS_COMMIT_INTERVAL. Default: ${DEFAULT-VALUE}.")
    Duration commitInterval;

    @Option(names = "--cache-mb", defaultValue = "${env:MALARIA_METRICS_CACHE_MB:-64}",
            description = "State store cache in MiB. Env: MALARIA_METRICS_CACHE_MB. Default: ${DEFAULT-VALUE}.")
    long cacheMb;

    @Option(names = "--presence-threshold-pct", defaultValue = "${env:MALARIA_METRICS_PRESENCE_THRESHOLD_PCT:-3.0}",
            description = "FHIR presence is 'Detected' when the lower 95% bound of the predicted parasitaemia exceeds this"
                    + " percentage. Env: MALARIA_METRICS_PRESENCE_THRESHOLD_PCT. Default: ${DEFAULT-VALUE}.")
    double presenceThresholdPct;

    @Option(names = "--slide-prior-sharpen", defaultValue = "${env:MALARIA_METRICS_SLIDE_PRIOR_SHARPEN:-1.25}",
            description = "Logit scale applied to the model's probabilities before each slide's slide-aware parasitaemia"
                    + " is estimated (chosen by cross-validation for the committed model)."
                    + " Env: MALARIA_METRICS_SLIDE_PRIOR_SHARPEN. Default: ${DEFAULT-VALUE}.")
    double slidePriorSharpen;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create missing topics at start (default); --no-create-topics leaves that to an operator.")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        KafkaConnection connection = kafka.resolve();
        MetricsSettings settings = new MetricsSettings(window, windowRetention, slideIdleTimeout, emitInterval,
                presenceThresholdPct, 100, slidePriorSharpen);
        String advertised = advertisedHost != null && !advertisedHost.isBlank() ? advertisedHost : defaultAdvertised(httpHost);
        Path state = stateDir != null ? stateDir : malariaHome().resolve("metrics").resolve("state-" + httpPort);
        MetricsService.Config config = new MetricsService.Config(connection, applicationId, state, httpHost, httpPort,
                advertised, threads, commitInterval, cacheMb * 1024 * 1024, settings, createTopics);
        // Ctrl-C or SIGTERM: close Streams cleanly (commit, leave the group) before the JVM exits.
        ShutdownSignal signal = ShutdownSignal.install("metrics", Duration.ofSeconds(40));
        try (MetricsService service = new MetricsService(config).start()) {
            spec.commandLine().getOut().printf("Metrics service running: QA page %s/ , API %s/api/models , Prometheus %s/metrics%n",
                    service.baseUrl(), service.baseUrl(), service.baseUrl());
            spec.commandLine().getOut().flush();
            signal.await();
        } finally {
            signal.release();
        }
        return 0;
    }

    static String defaultAdvertised(String bindHost) {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** MALARIA_HOME, else .malaria in the repository that ./malaria runs from, else in the working directory. */
    static Path malariaHome() {
        String home = System.getenv("MALARIA_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String repo = System.getProperty("malaria.repo.dir");
        return repo != null ? Path.of(repo, ".malaria") : Path.of(".malaria");
    }
}
