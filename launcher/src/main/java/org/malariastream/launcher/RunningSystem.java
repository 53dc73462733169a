package org.malariastream.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.service.ClassifierService;
import org.malariastream.classifier.service.ClassifierSettings;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.observability.ServiceMetrics;
import org.malariastream.ingest.hotfolder.HotFolder;
import org.malariastream.ingest.http.IngestHttpServer;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.IntakeProducer;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.topology.MetricsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services in one process, wired to one Kafka and registry: what {@code ./malaria up}, the
 * end-to-end tests and {@code bench e2e} run. Each service is the same class its own command runs.
 */
final class RunningSystem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningSystem.class);

    /** Where the services listen and keep their state; port 0 picks a free one, -1 turns an HTTP surface off. */
    record Settings(Path stateDir, Path inbox, Path model, String host, int ingestPort, int classifierPort, int metricsPort,
            MetricsSettings metrics, Duration metricsCommitInterval) {}

    private final MetricsService metrics;
    private final ClassifierService classifier;
    private final Producer<String, Object> ingestProducer;
    final CellIntake intake;
    private final IngestHttpServer ingestHttp;
    private final Thread hotFolder;

    private RunningSystem(MetricsService metrics, ClassifierService classifier, Producer<String, Object> ingestProducer,
            CellIntake intake, IngestHttpServer ingestHttp, Thread hotFolder) {
        this.metrics = metrics;
        this.classifier = classifier;
        this.ingestProducer = ingestProducer;
        this.intake = intake;
        this.ingestHttp = ingestHttp;
        this.hotFolder = hotFolder;
    }

    /** Starts metrics first (it reads what the others write), then the classifier, then the doors. */
    static RunningSystem start(KafkaConnection connection, Settings s) throws Exception {
        MetricsService metrics = null;
        ClassifierService classifier = null;
        try {
            metrics = new MetricsService(new MetricsService.Config(connection, "malaria-metrics",
                    s.stateDir().resolve("metrics"), s.host(), s.metricsPort(), s.host(), 1, s.metricsCommitInterval(),
                    64L * 1024 * 1024, s.metrics(), true)).start();
            ClassifierSettings cs = new ClassifierSettings("classifier", "up-classifier", true, s.model(), "auto", 32,
                    Duration.ofMillis(20), Duration.ofMillis(100), ImageLimits.DEFAULT, s.host(), s.classifierPort());
            classifier = new ClassifierService(connection, cs).start(cs);
            PrometheusMeterRegistry ingestMeters = ServiceMetrics.prometheus("ingest");
            Producer<String, Object> producer = IntakeProducer.create(connection, "ingest");
            CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), ingestMeters);
            IngestHttpServer http = s.ingestPort() < 0 ? null : new IngestHttpServer(new IngestHttpServer.Settings(s.host(),
                    s.ingestPort(), "http", ImageLimits.DEFAULT.maxBytes(), Optional.empty()), intake, ingestMeters,
                    () -> true).start();
            Thread folder = s.inbox() == null ? null : new HotFolder(new HotFolder.Settings(s.inbox(), "hotfolder",
                    Duration.ofSeconds(1), Duration.ofMillis(500), 1000), intake).start();
            return new RunningSystem(metrics, classifier, producer, intake, http, folder);
        } catch (Exception | Error e) {
            if (classifier != null) {
                classifier.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
    }

    static Path defaultModel() {
        return Locations.model(null);
    }

    String qaPage() {
        return metrics.baseUrl() + "/";
    }

    int ingestPort() {
        return ingestHttp == null ? -1 : ingestHttp.port();
    }

    int classifierPort() {
        return classifier.httpPort();
    }

    MetricsService metrics() {
        return metrics;
    }

    ClassifierService classifier() {
        return classifier;
    }

    /** Stops the doors first, so that everything they took is published, then the classifier, then metrics. */
    @Override
    public void close() {
        if (hotFolder != null) {
            hotFolder.interrupt();
            try {
                hotFolder.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ingestHttp != null) {
            ingestHttp.close();
        }
        ingestProducer.flush();
        ingestProducer.close(Duration.ofSeconds(10));
        intake.close();
        classifier.close();
        metrics.close();
        log.info("All services stopped");
    }
}
