package org.malariastream.metrics.http;

import java.util.List;
import org.malariastream.metrics.topology.ModelView;

/** One model version: its cumulative figures with the ROC curve, and its tumbling windows oldest first. */
public record ModelDetail(String model, String modelName, String modelVersion, ModelView cumulative,
        List<ModelView> windows) {}
