package org.malariastream.metrics.topology;

import java.time.Duration;
import org.malariastream.common.slides.PriorShift;

/**
 * The knobs of the topology. Defaults are the service's defaults; the command line declares each once.
 *
 * @param window               tumbling window of the windowed model metrics
 * @param windowRetention      how far behind the newest window older windows are still kept and corrected
 * @param slideIdleTimeout     a slide with no new cell for this long (wall clock) is complete
 * @param emitInterval         how often running slide results and model metrics are published
 * @param presenceThresholdPct a slide's FHIR presence result is "detected" when the lower 95% bound of its
 *                             predicted parasitaemia is above this. The default, 3%, sits above the false
 *                             positive rate of cell classifiers on the NIH data (specificity about 97%), so
 *                             a negative slide's false positives alone do not flag it
 * @param rocPoints            about how many points the published ROC curve has
 * @param slidePriorSharpen    the logit scale applied to the model's probabilities before a slide's
 *                             slide-aware parasitaemia is estimated ({@link PriorShift}); the default was
 *                             chosen by cross-validation for the committed model (model card v4)
 */
public record MetricsSettings(Duration window, Duration windowRetention, Duration slideIdleTimeout,
        Duration emitInterval, double presenceThresholdPct, int rocPoints, double slidePriorSharpen) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_WINDOW_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_SLIDE_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_PRESENCE_THRESHOLD_PCT = 3.0;

    public MetricsSettings {
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (emitInterval.isZero() || emitInterval.isNegative()) {
            throw new IllegalArgumentException("emit interval must be positive, got " + emitInterval);
        }
        PriorShift.requireValidSharpen(slidePriorSharpen);
    }

    public static MetricsSettings defaults() {
        return new MetricsSettings(DEFAULT_WINDOW, DEFAULT_WINDOW_RETENTION, DEFAULT_SLIDE_IDLE_TIMEOUT,
                DEFAULT_EMIT_INTERVAL, DEFAULT_PRESENCE_THRESHOLD_PCT, 100,
                PriorShift.DEFAULT_SHARPEN);
    }
}
