package org.malariastream.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.image.ImageCheck;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.schemas.DeadLetters;
import org.malariastream.schemas.Topics;

/**
 * What every door does with a cell: check the ids and the image, then publish a {@link CellImage} to
 * {@code cells.images}, or a {@link DeadLetter} with the reason and the original bytes to
 * {@code cells.ingest.dlq}. The returned future completes when Kafka has acknowledged the record; it fails
 * (rather than rejecting) when Kafka or the registry cannot be reached, so the door can keep the input and
 * retry. Thread-safe.
 *
 * <p>Futures complete on the intake's own threads, never on the producer's network thread: a caller that
 * chains another send (a label after its cell) would otherwise block the very thread that must fetch the
 * metadata for it.
 */
public final class CellIntake implements AutoCloseable {
    static final String SERVICE = "ingest";

    private final Producer<String, Object> producer;
    private final ImageInspector inspector;
    private final MeterRegistry meters;
    private final Timer publishTimer;
    private final ExecutorService completions = Executors.newFixedThreadPool(2, runnable -> {
        Thread t = new Thread(runnable, "ingest-completions");
        t.setDaemon(true);
        return t;
    });

    public CellIntake(Producer<String, Object> producer, ImageInspector inspector, MeterRegistry meters) {
        this.producer = producer;
        this.inspector = inspector;
        this.meters = meters;
        this.publishTimer = Timer.builder("ingest.publish.latency")
                .description("From submission to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    public CompletableFuture<IntakeResult> submit(CellSubmission s) {
        Optional<String> badId = Stream.of(
                        Identifiers.problem("scanner id", s.scannerId()),
                        Identifiers.problem("slide id", s.slideId()),
                        Identifiers.problem("cell id", s.cellId()),
                        s.patientRef() == null ? Optional.<String>empty() : Identifiers.problem("patient reference", s.patientRef()))
                .flatMap(Optional::stream).findFirst();
        if (badId.isPresent()) {
            return reject(s, DeadLetterReason.INVALID_IDENTIFIER, badId.get());
        }
        if (s.expectedCellCount() != null && s.expectedCellCount() <= 0) {
            return reject(s, DeadLetterReason.OTHER, "expected cell count must be positive, was " + s.expectedCellCount());
        }
        ImageCheck check = inspector.inspect(s.image());
        if (check instanceof ImageCheck.Rejected r) {
            return reject(s, r.reason(), r.message());
        }
        ImageCheck.Accepted image = (ImageCheck.Accepted) check;
        String eventId = EventIds.of(s.scannerId(), s.slideId(), s.cellId());
        CellImage event = CellImage.newBuilder()
                .setEventId(eventId)
                .setScannerId(s.scannerId())
                .setSlideId(s.slideId())
                .setCellId(s.cellId())
                .setPatientRef(s.patientRef())
                .setCapturedAt(s.capturedAt() != null ? s.capturedAt() : Instant.now())
                .setFormat(image.format())
                .setImage(ByteBuffer.wrap(s.image()))
                .setWidth(image.width())
                .setHeight(image.height())
                .setExpectedCellCount(s.expectedCellCount())
                .setChannel(s.channel())
                .setAttributes(s.attributes())
                .build();
        long start = System.nanoTime();
        return send(Topics.CELL_IMAGES.name(), s.slideId(), event).thenApply(meta -> {
            publishTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            counter("ingest.cells.accepted", "channel", s.channel().name()).increment();
            return new IntakeResult.Accepted(eventId, meta.partition(), meta.offset());
        });
    }

    /** Publishes a label to {@code cells.labels}; ids are checked like a cell's. */
    public CompletableFuture<RecordMetadata> submitLabel(LabelSubmission l) {
        Optional<String> badId = Stream.of(Identifiers.problem("slide id", l.slideId()), Identifiers.problem("cell id", l.cellId()))
                .flatMap(Optional::stream).findFirst();
        if (badId.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(badId.get()));
        }
        if (l.label() == null || l.label() == CellClass.UNKNOWN) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("label must be PARASITIZED or UNINFECTED"));
        }
        CellLabel label = CellLabel.newBuilder()
                .setSlideId(l.slideId())
                .setCellId(l.cellId())
                .setLabel(l.label())
                .setSource(l.source() == null || l.source().isBlank() ? "unspecified" : l.source())
                .setLabelledAt(l.labelledAt() != null ? l.labelledAt() : Instant.now())
                .setComment(l.comment())
                .build();
        return send(Topics.CELL_LABELS.name(), l.slideId(), label)
                .whenComplete((m, e) -> { if (e == null) counter("ingest.labels.accepted").increment(); });
    }

    /**
     * The size check a door makes before reading a file, so that one over the limit is refused unread. A refusal
     * is counted here; the door keeps the file (the hot folder's rejected/ folder, the replayed dataset).
     */
    public Optional<ImageCheck.Rejected> refuseIfTooLarge(IngestChannel channel, long bytes) {
        Optional<ImageCheck.Rejected> tooLarge = inspector.checkSize(bytes);
        tooLarge.ifPresent(r -> countRefused(channel.name(), r.reason()));
        return tooLarge;
    }

    /**
     * Records input refused before it could become a submission (e.g. a body over the size limit) in the
     * rejected counter only: its bytes were never read, so there is nothing to dead-letter.
     */
    public void countRefused(String channel, DeadLetterReason reason) {
        counter("ingest.cells.rejected", "channel", channel, "reason", reason.name()).increment();
    }

    public void flush() {
        producer.flush();
    }

    /** Stops the completion threads after the completions already handed to them; the producer is the caller's. */
    @Override
    public void close() {
        completions.shutdown();
        try {
            completions.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Keeps a label that could not be taken (not JSON, no class, bad ids) on {@code cells.ingest.dlq}, with its
     * reason and the body as sent, and counts it. Completes when Kafka has the dead letter.
     */
    public CompletableFuture<RecordMetadata> rejectLabel(IngestChannel channel, String slideId, String cellId,
            DeadLetterReason reason, String message, byte[] body) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("channel", channel.name());
        attributes.put("record", "label");
        counter("ingest.labels.rejected", "channel", channel.name(), "reason", reason.name()).increment();
        return sendDeadLetter(reason, message, slideId, cellId, attributes, body);
    }

    private CompletableFuture<IntakeResult> reject(CellSubmission s, DeadLetterReason reason, String message) {
        Map<String, String> attributes = new HashMap<>(s.attributes());
        attributes.put("channel", s.channel().name());
        if (s.scannerId() != null) {
            attributes.put("scannerId", s.scannerId());
        }
        counter("ingest.cells.rejected", "channel", s.channel().name(), "reason", reason.name()).increment();
        return sendDeadLetter(reason, message, s.slideId(), s.cellId(), attributes, s.image())
                .thenApply(meta -> new IntakeResult.Rejected(reason, message, true));
    }

    private CompletableFuture<RecordMetadata> sendDeadLetter(DeadLetterReason reason, String message, String slideId,
            String cellId, Map<String, String> attributes, byte[] original) {
        DeadLetter letter = DeadLetters.withOriginalValue(DeadLetter.newBuilder()
                .setService(SERVICE)
                .setStage(DeadLetterStage.INGEST)
                .setReason(reason)
                .setMessage(message)
                .setSlideId(DeadLetters.shortId(slideId))
                .setCellId(DeadLetters.shortId(cellId))
                .setOccurredAt(Instant.now())
                .setAttributes(attributes), original)
                .build();
        boolean slideIdValid = Identifiers.problem("slide id", slideId).isEmpty();
        return send(Topics.INGEST_DLQ.name(), slideIdValid ? slideId : null, letter);
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, Object value) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
                if (error != null) {
                    counter("ingest.publish.failed", "topic", topic).increment();
                    completions.execute(() -> done.completeExceptionally(error));
                } else {
                    completions.execute(() -> done.complete(meta));
                }
            });
        } catch (RuntimeException e) {
            // Serialisation (registry down) and metadata timeouts throw here rather than in the callback.
            counter("ingest.publish.failed", "topic", topic).increment();
            done.completeExceptionally(e);
        }
        return done;
    }

    private Counter counter(String name, String... tags) {
        return meters.counter(name, tags);
    }
}
