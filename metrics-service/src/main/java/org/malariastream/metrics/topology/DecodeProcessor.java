package org.malariastream.metrics.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.malariastream.metrics.topology.CellInput.LabelInput;
import org.malariastream.metrics.topology.CellInput.PredictionInput;
import org.malariastream.metrics.topology.CellInput.Rejected;
import org.malariastream.schemas.Topics;

/** Decodes raw prediction and label records (see {@link InputDecoder}); keys the result by slide id. */
final class DecodeProcessor implements Processor<byte[], byte[], String, CellInput> {
    private final InputDecoder decoder;
    private final MeterRegistry meters;
    private ProcessorContext<String, CellInput> context;
    private Counter predictions;
    private Counter labels;

    DecodeProcessor(InputDecoder decoder, MeterRegistry meters) {
        this.decoder = decoder;
        this.meters = meters;
    }

    /**
     * Registers the record counters when the topology is built rather than when a task starts, so that an
     * instance that runs no decoding task (more instances than partitions) still reports them, at 0.
     */
    static void registerCounters(MeterRegistry meters) {
        recordCounter(meters, Topics.CELL_PREDICTIONS);
        recordCounter(meters, Topics.CELL_LABELS);
    }

    private static Counter recordCounter(MeterRegistry meters, Topics.Topic topic) {
        return meters.counter("malaria.metrics.records", "topic", topic.name());
    }

    @Override
    public void init(ProcessorContext<String, CellInput> context) {
        this.context = context;
        this.predictions = recordCounter(meters, Topics.CELL_PREDICTIONS);
        this.labels = recordCounter(meters, Topics.CELL_LABELS);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        CellInput input = decoder.decode(
                new InputDecoder.Origin(meta.topic(), meta.partition(), meta.offset(), context.currentSystemTimeMs()),
                record.key(), record.value());
        String key;
        if (input instanceof PredictionInput p) {
            key = p.slideId();
            predictions.increment();
        } else if (input instanceof LabelInput l) {
            key = l.slideId();
            labels.increment();
        } else {
            Rejected r = (Rejected) input;
            key = r.deadLetter().getSlideId(); // the slide where known, else the original key, shortened
            meters.counter("malaria.metrics.dead.letters", "reason", r.deadLetter().getReason().name(),
                    "topic", meta.topic()).increment();
        }
        context.forward(record.withKey(key).withValue(input));
    }
}
