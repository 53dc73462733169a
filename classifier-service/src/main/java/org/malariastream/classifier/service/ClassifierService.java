package org.malariastream.classifier.service;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.observability.ServiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier service: the model, the exactly-once inference loop on its own thread, and an HTTP
 * endpoint for {@code /health} and {@code /metrics}. {@link #close()} finishes the batch in hand, commits,
 * and releases the model.
 */
public final class ClassifierService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClassifierService.class);

    private final CellModel model;
    private final CellClassifier classifier;
    private final InferenceLoop loop;
    private final Thread thread;
    private final PrometheusMeterRegistry meters;
    private final Javalin http;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ClassifierMetrics metrics;

    public ClassifierService(KafkaConnection connection, ClassifierSettings settings) throws java.io.IOException {
        this.meters = ServiceMetrics.prometheus("classifier");
        this.model = CellModel.load(settings.modelDir(), settings.device());
        this.classifier = model.newClassifier(settings.maxBatch() * model.spec().ttaViews());
        this.consumer = new KafkaConsumer<>(consumerConfig(connection, settings));
        new KafkaClientMetrics(consumer).bindTo(meters);
        Supplier<Producer<String, Object>> producers = () -> {
            KafkaProducer<String, Object> p = new KafkaProducer<>(producerConfig(connection, settings));
            p.initTransactions();
            return p;
        };
        BatchPreparer preparer = new BatchPreparer(new RecordReader(connection.common()), new ImageInspector(settings.limits()),
                model, settings.maxBatch());
        this.metrics = new ClassifierMetrics(meters);
        this.loop = new InferenceLoop(consumer, producers, classifier, preparer,
                new OutputRecords(model.spec(), settings.instanceId()), metrics, settings);
        this.thread = new Thread(loop, "classifier-" + settings.instanceId());
        this.http = settings.httpPort() < 0 ? null : Javalin.create(c -> c.showJavalinBanner = false)
                .get("/health", ctx -> ctx.status(loop.healthy() ? 200 : 503)
                        .json(Map.of("status", loop.healthy() ? "UP" : "DOWN", "model", model.spec().name() + ":" + model.spec().version(),
                                "instance", settings.instanceId())))
                .get("/metrics", ctx -> ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(meters.scrape()));
        log.info("Classifier {} ready: model {} {} ({} px, threshold {}, {} view(s)), batch {}, wait {} ms, commit every {} ms",
                settings.instanceId(), model.spec().name(), model.spec().version(), model.spec().inputSize(),
                model.spec().threshold(), model.spec().ttaViews(), settings.maxBatch(), settings.maxBatchWait().toMillis(),
                settings.commitInterval().toMillis());
    }

    public ClassifierService start(ClassifierSettings settings) {
        thread.start();
        if (http != null) {
            http.start(settings.httpHost(), settings.httpPort());
        }
        return this;
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public boolean healthy() {
        return loop.healthy();
    }

    /** Images this instance has classified in committed transactions. */
    public long predicted() {
        return (long) metrics.predictedCommitted.count();
    }

    /** Input partitions this instance owns now. */
    public int assignedPartitions() {
        return metrics.assignedPartitions.get();
    }

    /** False once the inference loop has ended, e.g. after an error it cannot recover from. */
    public boolean running() {
        return loop.running() && thread.isAlive();
    }

    static Map<String, Object> consumerConfig(KafkaConnection connection, ClassifierSettings s) {
        Map<String, Object> cfg = new HashMap<>(connection.rawConsumer(s.groupId()));
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "classifier-" + s.instanceId());
        cfg.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxBatch());
        // A crashed instance's partitions wait for the group to notice; 10 s rather than Kafka's 45 s.
        cfg.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        if (s.staticMembership()) {
            cfg.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "classifier-" + s.instanceId());
        }
        cfg.putAll(connection.extraProperties());
        // What the loop depends on is set last, so that no site setting can undo it: raw bytes, so that a record
        // that does not decode becomes a dead letter rather than an error inside poll(), and offsets committed
        // only inside the transactions.
        cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return cfg;
    }

    static Map<String, Object> producerConfig(KafkaConnection connection, ClassifierSettings s) {
        Map<String, Object> cfg = new HashMap<>(connection.producer("classifier-" + s.instanceId()));
        cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "classifier-" + s.instanceId());
        // An instance that dies with a transaction open blocks read_committed readers until it times out.
        cfg.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        cfg.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        cfg.putAll(connection.extraProperties());
        return cfg;
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) {
            http.stop();
        }
        classifier.close();
        model.close();
        meters.close();
        log.info("Classifier stopped");
    }
}
