package org.malariastream.metrics.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.malariastream.avro.CompletionReason;
import org.malariastream.metrics.cells.CellState;
import org.malariastream.metrics.slides.SlideState;
import org.malariastream.metrics.topology.CellInput.LabelInput;
import org.malariastream.metrics.topology.CellInput.PredictionInput;

/**
 * The join of predictions and labels by cell, and everything that follows from a cell's change on the same
 * partition (inputs are keyed by slide id, so a slide's cells and its labels meet in one task):
 * <ul>
 *   <li>the cell store keeps each cell's latest prediction and label; a record that changes nothing (a
 *       re-delivery) stops here, a changed one takes the cell's old contribution out and puts the new in;</li>
 *   <li>the slide's tally moves accordingly; a slide completes when its expected cell count is classified
 *       (at once) or when it has been idle past the timeout (checked by a wall-clock punctuator);</li>
 *   <li>the task's quality partials move, and are sent on as snapshots to be merged per model version.</li>
 * </ul>
 * Running slide results and snapshots go out once per emit interval for what changed, not per record.
 */
final class CellProcessor implements Processor<String, CellInput, String, Emission> {
    private final MetricsSettings settings;
    private final MeterRegistry meters;
    private ProcessorContext<String, Emission> context;
    private KeyValueStore<String, CellState> cells;
    private KeyValueStore<String, SlideState> slides;
    private QualityPartials partials;
    /** Open slides with at least one prediction, and their last activity (wall clock): for the idle timeout. */
    private final Map<String, Long> openSlides = new HashMap<>();
    private final Set<String> changedSlides = new LinkedHashSet<>();
    /** Complete slides changed since their final result went out (a late label, a corrected prediction). */
    private final Set<String> correctedFinals = new LinkedHashSet<>();
    private Counter duplicates;
    /**
     * Recently used slide states as objects, so a slide's every cell does not decode its state again. The
     * store stays the truth (each change is written through); the cache is emptied on init.
     */
    private final Map<String, SlideState> slideCache = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SlideState> eldest) {
            return size() > 10_000;
        }
    };

    CellProcessor(MetricsSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Emission> context) {
        this.context = context;
        this.cells = context.getStateStore(MetricsTopology.CELLS_STORE);
        this.slides = context.getStateStore(MetricsTopology.SLIDES_STORE);
        this.partials = new QualityPartials(settings.window().toMillis(), settings.windowRetention().toMillis());
        this.duplicates = meters.counter("malaria.metrics.unchanged.records");
        rebuildFromStores();
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    /**
     * The in-memory parts are functions of the stores (restored before init): quality partials from the
     * cells, the open-slide timers from the slides. Everything is sent again once, which is idempotent.
     */
    private void rebuildFromStores() {
        partials.clear();
        openSlides.clear();
        slideCache.clear();
        try (KeyValueIterator<String, CellState> all = cells.all()) {
            while (all.hasNext()) {
                partials.apply(all.next().value, +1);
            }
        }
        try (KeyValueIterator<String, SlideState> all = slides.all()) {
            while (all.hasNext()) {
                SlideState s = all.next().value;
                if (!s.isComplete() && s.classified() > 0) {
                    openSlides.put(s.slideId(), s.lastActivityAt());
                    changedSlides.add(s.slideId());
                }
                if (s.finalOwed()) {
                    correctedFinals.add(s.slideId()); // the task closed before it went out
                }
            }
        }
    }

    @Override
    public void process(Record<String, CellInput> record) {
        CellInput input = record.value();
        String slideId;
        String cellId;
        if (input instanceof PredictionInput p) {
            slideId = p.slideId();
            cellId = p.cellId();
        } else if (input instanceof LabelInput l) {
            slideId = l.slideId();
            cellId = l.cellId();
        } else {
            return;
        }
        String cellKey = CellState.cellKey(slideId, cellId);
        CellState stored = cells.get(cellKey);
        CellState before = stored == null ? CellState.EMPTY : stored;
        CellState after = input instanceof PredictionInput p ? before.withPrediction(p.prediction())
                : before.withLabel(((LabelInput) input).parasitized());
        if (after.equals(before)) {
            duplicates.increment(); // a re-delivery or an identical re-send: nothing to count
            return;
        }
        cells.put(cellKey, after);
        partials.apply(before, -1);
        partials.apply(after, +1);

        SlideState slide = slide(slideId);
        if (slide == null) {
            slide = new SlideState(slideId);
            slideCache.put(slideId, slide);
        }
        slide.apply(before, -1);
        slide.apply(after, +1);
        if (input instanceof PredictionInput p) {
            slide.describe(p.prediction());
        }
        long now = context.currentSystemTimeMs();
        if (input instanceof PredictionInput) {
            slide.touch(now); // labels do not restart the idle clock, here nor after a restart (rebuildFromStores)
        }
        boolean wasComplete = slide.isComplete();
        if (!wasComplete && slide.expectedCountReached()) {
            slide.complete(CompletionReason.EXPECTED_COUNT_REACHED);
        }
        if (wasComplete) {
            slide.finalOwed(true); // in the store with the change itself, not only in correctedFinals
        }
        slides.put(slideId, slide);
        changedSlides.add(slideId);
        if (slide.isComplete()) {
            openSlides.remove(slideId);
            if (wasComplete) {
                correctedFinals.add(slideId);
            } else {
                completed(slide, now);
            }
        } else if (slide.classified() > 0) {
            // From the last prediction: labels trickling in must not hold a slide open for ever.
            openSlides.put(slideId, slide.lastActivityAt());
        }
    }

    private SlideState slide(String slideId) {
        SlideState cached = slideCache.get(slideId);
        if (cached != null) {
            return cached;
        }
        SlideState stored = slides.get(slideId);
        if (stored != null) {
            slideCache.put(slideId, stored);
        }
        return stored;
    }

    private void completed(SlideState slide, long now) {
        var result = slide.toResult(now, settings.slidePriorSharpen());
        meters.counter("malaria.metrics.slides.completed", "reason", String.valueOf(result.getCompletionReason()))
                .increment();
        correctedFinals.remove(slide.slideId());
        context.forward(new Record<>(slide.slideId(), new Emission.SlideUpdate(result, true), now));
    }

    /** Once per emit interval (wall clock): idle slides complete, then what changed is published. */
    private void emit(long now) {
        long idleMs = settings.slideIdleTimeout().toMillis();
        for (Iterator<Map.Entry<String, Long>> it = openSlides.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> open = it.next();
            if (now - open.getValue() < idleMs) {
                continue;
            }
            it.remove();
            SlideState slide = slide(open.getKey());
            if (slide != null && !slide.isComplete() && slide.classified() > 0) {
                slide.complete(CompletionReason.IDLE_TIMEOUT);
                slides.put(slide.slideId(), slide);
                changedSlides.add(slide.slideId());
                completed(slide, now);
            }
        }
        for (String slideId : correctedFinals) {
            SlideState slide = slide(slideId);
            context.forward(new Record<>(slideId, new Emission.SlideUpdate(slide.toResult(now, settings.slidePriorSharpen()), true), now));
            slide.finalOwed(false); // committed together with the result it was owed
            slides.put(slideId, slide);
        }
        correctedFinals.clear();
        for (String slideId : changedSlides) {
            SlideState slide = slide(slideId);
            if (slide != null && slide.classified() > 0) {
                context.forward(new Record<>(slideId, new Emission.SlideUpdate(slide.toResult(now, settings.slidePriorSharpen()), false), now));
            }
        }
        changedSlides.clear();
        int partition = context.taskId().partition();
        for (QualitySnapshot s : partials.drainChanged(partition)) {
            String modelKey = CellState.modelKey(s.modelName(), s.modelVersion());
            context.forward(new Record<>(modelKey, new Emission.Quality(s), now));
        }
    }
}
