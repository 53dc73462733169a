package org.malariastream.classifier.service;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.classifier.model.CellBatch;

/**
 * Records made ready for one forward pass: those that became tensors (in {@code batch}, {@code views}
 * slots each, in order; null when none did) and those that go to the dead-letter topic instead.
 */
record PreparedBatch(List<Ready> ready, List<Rejected> rejected, CellBatch batch, int views,
        List<ConsumerRecord<byte[], byte[]>> records) {

    record Ready(ConsumerRecord<byte[], byte[]> record, CellImage image) {}

    record Rejected(ConsumerRecord<byte[], byte[]> record, CellImage image, DeadLetterStage stage,
            DeadLetterReason reason, String message) {}

    boolean isEmpty() {
        return records.isEmpty();
    }
}
