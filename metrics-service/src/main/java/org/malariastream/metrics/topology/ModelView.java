package org.malariastream.metrics.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.malariastream.metrics.quality.QualityMetrics;
import org.malariastream.metrics.quality.RocPoint;

/**
 * A model version's merged quality as the REST API and the QA page show it: cumulative (windowStart null,
 * with the ROC curve) or for one tumbling window. Stored as JSON in the queryable model-metrics store.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelView(String model, String modelName, String modelVersion, Long windowStart, Long windowEnd,
        long count, long truePositives, long falsePositives, long trueNegatives, long falseNegatives,
        Double accuracy, Double precision, Double sensitivity, Double specificity, Double f1, Double auc,
        long updatedAt, List<RocPoint> roc) {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static ModelView of(String modelName, String modelVersion, Long windowStart, Long windowEnd,
            QualityMetrics m, long updatedAt, List<RocPoint> roc) {
        return new ModelView(modelName + ":" + modelVersion, modelName, modelVersion, windowStart, windowEnd,
                m.count(), m.truePositives(), m.falsePositives(), m.trueNegatives(), m.falseNegatives(),
                m.accuracy(), m.precision(), m.sensitivity(), m.specificity(), m.f1(), m.auc(), updatedAt, roc);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isCumulative() {
        return windowStart == null;
    }

    public static Serde<ModelView> serde() {
        return Serdes.serdeFrom((topic, v) -> {
            try {
                return v == null ? null : JSON.writeValueAsBytes(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, b) -> {
            try {
                return b == null ? null : JSON.readValue(b, ModelView.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
