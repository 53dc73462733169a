package org.malariastream.classifier.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.ImageFormat;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.SharedData;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;

/** Real cell images as scanner events, and readers of what the classifier wrote, for the service tests. */
final class CellImages {
    /** A real cell with its ground truth. */
    record Cell(CellImage image, CellClass truth) {}

    private CellImages() {}

    static KafkaConnection connection(LocalStack stack) {
        return new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
    }

    static void createTopics(LocalStack stack, int partitions) {
        TopicInitializer.ensureTopics(connection(stack).admin(), Optional.of(partitions));
    }

    /** {@code count} real cells, alternating the two classes, spread over slides of 40. */
    static List<Cell> real(int count, String run) {
        List<NihLayout.CellFile> files = NihLayout.list(SharedData.cellImages()).cells();
        List<NihLayout.CellFile> parasitized = files.stream().filter(f -> f.label() == CellClass.PARASITIZED).toList();
        List<NihLayout.CellFile> uninfected = files.stream().filter(f -> f.label() == CellClass.UNINFECTED).toList();
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Spread over the whole set (many patients), not the first slide's neighbours.
            List<NihLayout.CellFile> pool = i % 2 == 0 ? parasitized : uninfected;
            NihLayout.CellFile f = pool.get((i / 2 * 97) % pool.size());
            out.add(new Cell(image(run + "-slide-" + (i / 40), "cell_" + i, read(f)), f.label()));
        }
        return out;
    }

    static CellImage image(String slide, String cell, byte[] bytes) {
        return CellImage.newBuilder().setEventId(slide + "/" + cell).setScannerId("test").setSlideId(slide).setCellId(cell)
                .setPatientRef("C1").setCapturedAt(Instant.now()).setFormat(ImageFormat.PNG)
                .setImage(ByteBuffer.wrap(bytes)).setWidth(0).setHeight(0).setExpectedCellCount(40)
                .setChannel(IngestChannel.OTHER).build();
    }

    static void send(LocalStack stack, List<CellImage> images) throws Exception {
        Map<String, Object> cfg = new HashMap<>(connection(stack).producer("test-images"));
        // Compressed, an image over the 1 MB limit still reaches the topic, as from a scanner integration with
        // compression on: the classifier must dead-letter it without carrying it whole.
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        cfg.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(cfg)) {
            for (CellImage image : images) {
                sent.add(producer.send(new ProducerRecord<>(Topics.CELL_IMAGES.name(), image.getSlideId(), image)));
            }
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(); // a test image the broker refused would make the test wait for it in vain
        }
    }

    /** Raw bytes that no Avro serializer wrote, for the dead-letter tests. */
    static void sendRaw(LocalStack stack, String key, byte[] value) {
        Map<String, Object> cfg = new HashMap<>(connection(stack).common());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CELL_IMAGES.name(), key, value));
        }
    }

    /** Everything committed on a topic so far, read until {@code quiet} passes with nothing new (or {@code max}). */
    static <V> List<V> readCommitted(LocalStack stack, String topic, int atLeast, Duration max) {
        Map<String, Object> cfg = connection(stack).consumer("reader-" + System.nanoTime());
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(cfg)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + max.toNanos();
            long quietUntil = 0;
            while (System.nanoTime() < deadline) {
                int before = out.size();
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (out.size() >= atLeast) {
                    if (out.size() > before || quietUntil == 0) {
                        quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    } else if (System.nanoTime() > quietUntil) {
                        break; // nothing more for 3 s after reaching the count: extras would have shown
                    }
                }
            }
        }
        return out;
    }

    static List<CellPrediction> predictions(LocalStack stack, int atLeast, Duration max) {
        return readCommitted(stack, Topics.CELL_PREDICTIONS.name(), atLeast, max);
    }

    static List<DeadLetter> deadLetters(LocalStack stack, int atLeast, Duration max) {
        return readCommitted(stack, Topics.CELL_IMAGES_DLQ.name(), atLeast, max);
    }

    private static byte[] read(NihLayout.CellFile f) {
        try {
            return Files.readAllBytes(f.path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
