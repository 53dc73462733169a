package org.malariastream.classifier.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.malariastream.avro.CellPrediction;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.schemas.Topics;
import org.malariastream.schemas.registry.SchemaRegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consume, classify, produce, exactly once. Records are gathered into micro-batches (up to the batch size or
 * the batch wait), prepared on a decoder thread while the previous batch runs through the network, and
 * their predictions and dead letters are written in a Kafka transaction together with the consumer offsets.
 * A transaction spans batches for up to the commit interval. A crash at any point leaves either the whole
 * transaction (outputs and offsets) or none of it, so read_committed readers see one prediction per image.
 *
 * <p>Rebalances: before partitions are revoked, everything taken from them is classified and committed.
 * When partitions are lost, or the producer is fenced or a transaction fails, the open transaction is
 * aborted, the consumer rewinds to the committed offsets, and (if fenced) a new producer takes over.
 */
final class InferenceLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(InferenceLoop.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<Producer<String, Object>> producers;
    private final CellClassifier classifier;
    private final BatchPreparer preparer;
    private final OutputRecords outputs;
    private final ClassifierMetrics metrics;
    private final ClassifierSettings settings;
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "classifier-decoder");
        t.setDaemon(true);
        return t;
    });

    private Producer<String, Object> producer;
    private volatile boolean running = true;
    private volatile long lastPollMillis = System.currentTimeMillis();

    /** Records polled but not yet in a batch. */
    private final List<ConsumerRecord<byte[], byte[]>> gathered = new ArrayList<>();
    /** The batch being prepared on the decoder thread. */
    private Future<PreparedBatch> pending;
    /** The open transaction: offsets to commit with it, capture times of its predictions. */
    private boolean inTransaction;
    private long transactionStartNanos;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final List<Instant> capturedInTransaction = new ArrayList<>();

    InferenceLoop(Consumer<byte[], byte[]> consumer, Supplier<Producer<String, Object>> producers,
            CellClassifier classifier, BatchPreparer preparer, OutputRecords outputs, ClassifierMetrics metrics,
            ClassifierSettings settings) {
        this.consumer = consumer;
        this.producers = producers;
        this.classifier = classifier;
        this.preparer = preparer;
        this.outputs = outputs;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void run() {
        producer = producers.get();
        consumer.subscribe(List.of(Topics.CELL_IMAGES.name()), new Rebalance());
        try {
            while (running) {
                try {
                    step();
                } catch (WakeupException e) {
                    // stop() woke the consumer; the loop condition ends it
                } catch (SchemaRegistryUnavailableException e) {
                    log.warn("Schema registry unavailable, retrying in {} s: {}", RETRY_BACKOFF.toSeconds(), e.getMessage());
                    recover(false);
                    sleep(RETRY_BACKOFF);
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    log.warn("Producer fenced ({}): another instance took over this transactional id or the"
                            + " transaction timed out; starting a new producer and resuming from committed offsets", e.toString());
                    recover(true);
                } catch (CommitFailedException e) {
                    log.warn("Offsets could not be committed (the group rebalanced); resuming from committed offsets: {}", e.getMessage());
                    recover(false);
                } catch (KafkaException e) {
                    log.warn("Transaction failed, resuming from committed offsets: {}", e.toString());
                    recover(false);
                    sleep(RETRY_BACKOFF);
                }
            }
            finishInFlight();
        } catch (RuntimeException e) {
            log.error("Stopping after an unexpected error; the open transaction is aborted", e);
            running = false;
            abortQuietly();
            throw e;
        } finally {
            decoder.shutdownNow();
            producer.close(Duration.ofSeconds(10));
            // Leave the group even as a static member, so the partitions move to another instance now.
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
    }

    /** One turn: gather the next batch, start preparing it, classify the previous one, commit when due. */
    private void step() {
        List<ConsumerRecord<byte[], byte[]>> batch = gather();
        Future<PreparedBatch> previous = pending;
        // Tracked before the previous batch is emitted: if that throws, recovery must still wait for this one.
        pending = batch.isEmpty() ? null : decoder.submit(() -> preparer.prepare(batch));
        if (previous != null) {
            emit(await(previous));
        }
        if (inTransaction && (pending == null
                || System.nanoTime() - transactionStartNanos >= settings.commitInterval().toNanos())) {
            commit();
        }
    }

    /**
     * Polls until a batch is full or the batch wait has passed. While a prepared batch waits for the network
     * it takes only what has arrived: waiting for more would hold that batch back.
     */
    private List<ConsumerRecord<byte[], byte[]>> gather() {
        long deadline = System.nanoTime() + (pending == null ? settings.maxBatchWait().toNanos() : 0);
        while (gathered.size() < settings.maxBatch() && running) {
            long left = deadline - System.nanoTime();
            if (left <= 0 && !gathered.isEmpty()) {
                break;
            }
            consumer.poll(Duration.ofNanos(Math.max(left, 1_000_000))).forEach(gathered::add);
            lastPollMillis = System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
        }
        int n = Math.min(gathered.size(), settings.maxBatch());
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(gathered.subList(0, n));
        gathered.subList(0, n).clear();
        return batch;
    }

    /** Classifies a prepared batch and sends its predictions and dead letters into the open transaction. */
    private void emit(PreparedBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        double[] probabilities = new double[batch.ready().size()];
        if (!batch.ready().isEmpty()) {
            long start = System.nanoTime();
            float[] perSlot = classifier.probabilities(batch.batch());
            metrics.inference.record(Duration.ofNanos(System.nanoTime() - start));
            for (int i = 0; i < probabilities.length; i++) {
                double sum = 0;
                for (int v = 0; v < batch.views(); v++) {
                    sum += perSlot[i * batch.views() + v];
                }
                probabilities[i] = sum / batch.views();
            }
            metrics.batchSize.record(batch.ready().size());
        }
        begin();
        Instant now = Instant.now();
        for (int i = 0; i < probabilities.length; i++) {
            PreparedBatch.Ready r = batch.ready().get(i);
            CellPrediction prediction = outputs.prediction(r.image(), probabilities[i], now);
            producer.send(new ProducerRecord<>(Topics.CELL_PREDICTIONS.name(), r.image().getSlideId(), prediction));
            capturedInTransaction.add(r.image().getCapturedAt());
        }
        for (PreparedBatch.Rejected r : batch.rejected()) {
            producer.send(new ProducerRecord<>(Topics.CELL_IMAGES_DLQ.name(), OutputRecords.key(r.record(), r.image()),
                    outputs.deadLetter(r, now)));
            metrics.deadLettered(r.reason());
            log.warn("Dead-lettered {}-{}@{} ({}): {}", r.record().topic(), r.record().partition(), r.record().offset(),
                    r.reason(), r.message());
        }
        for (ConsumerRecord<byte[], byte[]> record : batch.records()) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        metrics.predicted.increment(probabilities.length);
    }

    private void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            transactionStartNanos = System.nanoTime();
        }
    }

    private void commit() {
        producer.sendOffsetsToTransaction(Map.copyOf(offsets), consumer.groupMetadata());
        producer.commitTransaction();
        inTransaction = false;
        metrics.transactions.increment();
        metrics.predictedCommitted.increment(capturedInTransaction.size());
        long now = System.currentTimeMillis();
        for (Instant captured : capturedInTransaction) {
            metrics.endToEnd.record(Duration.ofMillis(Math.max(0, now - captured.toEpochMilli())));
        }
        offsets.clear();
        capturedInTransaction.clear();
    }

    /** Classifies and commits everything taken from Kafka so far (before revocation, and at shutdown). */
    private void finishInFlight() {
        if (pending != null) {
            emit(await(pending));
            pending = null;
        }
        while (!gathered.isEmpty()) {
            int n = Math.min(gathered.size(), settings.maxBatch());
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(gathered.subList(0, n));
            gathered.subList(0, n).clear();
            emit(preparer.prepare(batch));
        }
        if (inTransaction) {
            commit();
        }
    }

    /** Drops all uncommitted work, aborts the transaction, rewinds to the committed offsets. */
    private void recover(boolean newProducer) {
        metrics.aborted.increment();
        dropPending();
        gathered.clear();
        offsets.clear();
        capturedInTransaction.clear();
        if (newProducer) {
            producer.close(Duration.ZERO);
            producer = producers.get();
            inTransaction = false;
        } else {
            abortQuietly();
        }
        rewind(consumer.assignment());
    }

    private void abortQuietly() {
        if (inTransaction) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                log.warn("Abort failed ({}); starting a new producer", e.toString());
                producer.close(Duration.ZERO);
                producer = producers.get();
            }
            inTransaction = false;
        }
    }

    /** Seeks each partition back to its committed offset, so that nothing uncommitted is skipped. */
    private void rewind(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    /**
     * Drops the batch being prepared once its preparation has ended. Cancelling would not stop a preparation that
     * is running, and the next one, on this thread or the decoder's, must not write the buffers it still writes.
     */
    private void dropPending() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            // the batch is dropped either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending = null;
    }

    private static PreparedBatch await(Future<PreparedBatch> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to finish what it took, commit, and return. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    boolean healthy() {
        return running && System.currentTimeMillis() - lastPollMillis < 60_000;
    }

    /** False once the loop has stopped, asked to or not. */
    boolean running() {
        return running;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Still the owner: classify and commit what was taken, so the next owner starts after it.
            finishInFlight();
            metrics.assignedPartitions.set(consumer.assignment().size() - partitions.size());
            log.info("Partitions revoked after committing in-flight work: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            metrics.assignedPartitions.set(consumer.assignment().size());
            log.info("Partitions assigned: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // No longer the owner: nothing taken from them may be committed by us.
            log.warn("Partitions lost: {}; dropping uncommitted work", partitions);
            dropPending();
            gathered.clear();
            offsets.clear();
            capturedInTransaction.clear();
            abortQuietly();
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(partitions);
            metrics.assignedPartitions.set(kept.size());
            rewind(kept);
        }
    }
}
