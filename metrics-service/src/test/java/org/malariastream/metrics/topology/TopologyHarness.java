package org.malariastream.metrics.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.avro.SlideResult;
import org.malariastream.schemas.Topics;
import org.malariastream.schemas.registry.AvroSerdeConfig;

/**
 * The topology in a TopologyTestDriver (no broker), with the real Confluent-format serdes against the
 * embedded registry. Wall-clock time is the driver's: {@link #tick} runs the emit punctuators.
 */
final class TopologyHarness implements AutoCloseable {
    /** The driver's wall clock starts here (an hour after the records' own times). */
    static final java.time.Instant WALL_CLOCK_START = java.time.Instant.parse("2026-11-01T09:00:00Z");
    final MetricsSettings settings;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, CellPrediction> predictions;
    final TestInputTopic<String, CellLabel> labels;
    final TestInputTopic<String, byte[]> rawPredictions;
    final TestOutputTopic<String, ModelMetrics> modelMetrics;
    final TestOutputTopic<String, SlideResult> runningSlides;
    final TestOutputTopic<String, SlideResult> finalSlides;
    final TestOutputTopic<String, String> fhir;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    private final Path stateDir;

    TopologyHarness(String registryUrl, MetricsSettings settings) {
        this.settings = settings;
        Map<String, Object> registry = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        MetricsSerdes serdes = MetricsSerdes.fromRegistry(registry);
        try {
            stateDir = Files.createTempDirectory("metrics-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(MetricsTopology.build(settings, serdes, meters), props, WALL_CLOCK_START);
        StringSerializer keys = new StringSerializer();
        predictions = driver.createInputTopic(Topics.CELL_PREDICTIONS.name(), keys, serdes.predictions().serializer());
        labels = driver.createInputTopic(Topics.CELL_LABELS.name(), keys, serdes.labels().serializer());
        rawPredictions = driver.createInputTopic(Topics.CELL_PREDICTIONS.name(), keys, new ByteArraySerializer());
        StringDeserializer keyReader = new StringDeserializer();
        modelMetrics = driver.createOutputTopic(Topics.METRICS_MODEL.name(), keyReader, serdes.modelMetrics().deserializer());
        runningSlides = driver.createOutputTopic(Topics.METRICS_SLIDES.name(), keyReader, serdes.slideResults().deserializer());
        finalSlides = driver.createOutputTopic(Topics.RESULTS_SLIDES.name(), keyReader, serdes.slideResults().deserializer());
        fhir = driver.createOutputTopic(Topics.RESULTS_SLIDES_FHIR, keyReader, keyReader);
        deadLetters = driver.createOutputTopic(Topics.METRICS_DLQ.name(), keyReader, serdes.deadLetters().deserializer());
    }

    void predict(CellPrediction p) {
        predictions.pipeInput(p.getSlideId(), p);
    }

    void label(CellLabel l) {
        labels.pipeInput(l.getSlideId(), l);
    }

    /** Advances the wall clock by one emit interval: punctuators publish what changed. */
    void tick() {
        driver.advanceWallClockTime(settings.emitInterval());
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** The last record per key and window of everything published on metrics.model so far. */
    Map<String, ModelMetrics> latestModelMetrics() {
        Map<String, ModelMetrics> latest = new LinkedHashMap<>();
        for (var kv : modelMetrics.readKeyValuesToList()) {
            latest.put(kv.key + "@" + kv.value.getWindowStart(), kv.value);
        }
        return latest;
    }

    static Map<String, SlideResult> latestByKey(List<org.apache.kafka.streams.KeyValue<String, SlideResult>> records) {
        Map<String, SlideResult> latest = new LinkedHashMap<>();
        records.forEach(kv -> latest.put(kv.key, kv.value));
        return latest;
    }

    KeyValueStore<String, ModelView> modelViews() {
        return driver.getKeyValueStore(MetricsTopology.MODEL_METRICS_STORE);
    }

    @Override
    public void close() {
        driver.close();
        try {
            org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
