package org.malariastream.metrics.http;

import org.malariastream.avro.SlideResult;
import org.malariastream.metrics.slides.SlideState;

/** A slide as the REST API and the QA page show it (the SlideResult fields, times in epoch milliseconds). */
public record SlideView(String slideId, String scannerId, String patientRef, String modelName, String modelVersion,
        String status, String completionReason, Integer expectedCellCount, long cellsClassified,
        long cellsPredictedParasitized, double parasitaemiaPct, double parasitaemiaCiLowPct,
        double parasitaemiaCiHighPct, long labelledCells, long labelledParasitized, Double labelledParasitaemiaPct,
        Double parasitaemiaErrorPp, Double slideAwareParasitaemiaPct, Double slideAwareErrorPp, Long firstCapturedAt,
        long updatedAt) {

    public static SlideView of(SlideState state, double slidePriorSharpen) {
        SlideResult r = state.toResult(state.lastActivityAt(), slidePriorSharpen);
        return new SlideView(r.getSlideId(), r.getScannerId(), r.getPatientRef(), r.getModelName(), r.getModelVersion(),
                r.getStatus().name(), r.getCompletionReason() == null ? null : r.getCompletionReason().name(),
                r.getExpectedCellCount(), r.getCellsClassified(), r.getCellsPredictedParasitized(),
                r.getParasitaemiaPct(), r.getParasitaemiaCiLowPct(), r.getParasitaemiaCiHighPct(), r.getLabelledCells(),
                r.getLabelledParasitized(), r.getLabelledParasitaemiaPct(), r.getParasitaemiaErrorPp(),
                r.getSlideAwareParasitaemiaPct(), r.getSlideAwareErrorPp(),
                r.getFirstCapturedAt() == null ? null : r.getFirstCapturedAt().toEpochMilli(),
                r.getUpdatedAt().toEpochMilli());
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isComplete() {
        return "COMPLETE".equals(status);
    }
}
