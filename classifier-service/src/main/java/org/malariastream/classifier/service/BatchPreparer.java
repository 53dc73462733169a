package org.malariastream.classifier.service;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.classifier.model.CellBatch;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.TestTimeViews;
import org.malariastream.classifier.model.preprocess.ImageDecodeException;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.model.preprocess.RgbImage;
import org.malariastream.classifier.model.preprocess.ViewTransform;
import org.malariastream.common.image.ImageCheck;
import org.malariastream.common.image.ImageInspector;

/**
 * Reads, checks, decodes and preprocesses a batch of records into a tensor buffer with the model's own
 * preprocessing. It runs on its own thread, beside the forward pass of the previous batch: at small input
 * sizes decoding costs about as much as the network. Each instance owns two buffers and alternates them,
 * so a batch being prepared never overwrites the one being inferred.
 */
final class BatchPreparer {
    private final RecordReader reader;
    private final ImageInspector inspector;
    private final ImagePreprocessor preprocessor;
    private final ViewTransform[] views;
    private final float[][] buffers = new float[2][];
    private int next;

    BatchPreparer(RecordReader reader, ImageInspector inspector, CellModel model, int maxBatch) {
        this.reader = reader;
        this.inspector = inspector;
        this.preprocessor = model.preprocessor();
        this.views = TestTimeViews.transforms(model.spec().ttaViews());
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new float[maxBatch * views.length * preprocessor.floatsPerImage()];
        }
    }

    PreparedBatch prepare(List<ConsumerRecord<byte[], byte[]>> records) {
        float[] buffer = buffers[next];
        next = 1 - next;
        List<PreparedBatch.Ready> ready = new ArrayList<>(records.size());
        List<PreparedBatch.Rejected> rejected = new ArrayList<>();
        int slot = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RecordReader.Read read = reader.read(record);
            if (read instanceof RecordReader.Read.Bad bad) {
                rejected.add(new PreparedBatch.Rejected(record, null, DeadLetterStage.DESERIALIZATION, bad.reason(), bad.message()));
                continue;
            }
            CellImage image = ((RecordReader.Read.Ok) read).image();
            byte[] bytes = new byte[image.getImage().remaining()];
            image.getImage().duplicate().get(bytes);
            ImageCheck check = inspector.inspect(bytes);
            if (check instanceof ImageCheck.Rejected r) {
                rejected.add(new PreparedBatch.Rejected(record, image, DeadLetterStage.VALIDATION, r.reason(), r.message()));
                continue;
            }
            RgbImage rgb;
            try {
                rgb = ImageDecoder.decode(bytes);
            } catch (ImageDecodeException e) {
                rejected.add(new PreparedBatch.Rejected(record, image, DeadLetterStage.DECODING,
                        DeadLetterReason.UNDECODABLE_IMAGE, e.getMessage()));
                continue;
            }
            for (ViewTransform view : views) {
                preprocessor.toTensor(rgb, view, buffer, slot++);
            }
            ready.add(new PreparedBatch.Ready(record, image));
        }
        CellBatch batch = slot == 0 ? null : new CellBatch(buffer, slot, preprocessor.size());
        return new PreparedBatch(ready, rejected, batch, views.length, records);
    }
}
