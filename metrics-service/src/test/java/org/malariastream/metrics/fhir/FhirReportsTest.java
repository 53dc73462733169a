package org.malariastream.metrics.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.Instant;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.CompletionReason;
import org.malariastream.avro.SlideResult;
import org.malariastream.avro.SlideStatus;

class FhirReportsTest {
    private final FhirReports reports = new FhirReports(3.0);

    static SlideResult slide(String slideId, String patientRef, long cells, long positive, double ciLow, double ciHigh) {
        return SlideResult.newBuilder()
                .setSlideId(slideId).setScannerId("scanner-1").setPatientRef(patientRef)
                .setModelName("mobilenetv2-malaria").setModelVersion("1.2.0")
                .setStatus(SlideStatus.COMPLETE).setCompletionReason(CompletionReason.EXPECTED_COUNT_REACHED)
                .setExpectedCellCount((int) cells).setCellsClassified(cells).setCellsPredictedParasitized(positive)
                .setParasitaemiaPct(100.0 * positive / cells).setParasitaemiaCiLowPct(ciLow).setParasitaemiaCiHighPct(ciHigh)
                .setFirstCapturedAt(Instant.parse("2026-11-01T08:00:00Z"))
                .setUpdatedAt(Instant.parse("2026-11-01T08:05:00Z"))
                .build();
    }

    @Test
    void positiveSlideIsAPreliminaryReportWithPresenceAndParasitaemiaObservations() {
        SlideResult r = slide("slide 7/A", "patient-42", 1000, 120, 10.1, 14.2);
        String json = reports.toJson(r).orElseThrow();

        // Parsed back by HAPI with the strict error handler: every element is one FHIR R4 knows.
        IParser parser = FhirReports.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        DiagnosticReport report = parser.parseResource(DiagnosticReport.class, json);
        assertThat(reports.validate(report)).isEmpty();
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo("slide 7/A");
        assertThat(report.getIdElement().getIdPart()).isEqualTo("slide-slide-7-A");
        assertThat(report.getSubject().getIdentifier().getValue()).isEqualTo("patient-42");
        assertThat(report.getResult()).hasSize(2);

        Observation presence = contained(report, Observation.class, "presence");
        assertThat(presence.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(presence.getCode().getCodingFirstRep().getCode()).isEqualTo("51587-4");
        assertThat(presence.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
        assertThat(((CodeableConcept) presence.getValue()).getCodingFirstRep().getCode()).isEqualTo("260373001");
        assertThat(presence.getDevice().getReference()).isEqualTo("#model");

        Observation parasitaemia = contained(report, Observation.class, "parasitaemia");
        assertThat(parasitaemia.getCode().getCodingFirstRep().getCode()).isEqualTo("101343-2");
        Quantity value = (Quantity) parasitaemia.getValue();
        assertThat(value.getValue().doubleValue()).isEqualTo(12.0);
        assertThat(value.getCode()).isEqualTo("%");
        assertThat(value.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(parasitaemia.getComponent()).hasSize(3); // no slide-aware figure on this result, no component
        assertThat(report.getConclusion()).doesNotContain("slide-aware");
        assertThat(((Quantity) parasitaemia.getComponent().get(0).getValue()).getValue().doubleValue()).isEqualTo(10.1);

        Device device = contained(report, Device.class, "model");
        assertThat(device.getDeviceNameFirstRep().getName()).isEqualTo("mobilenetv2-malaria");
        assertThat(device.getVersionFirstRep().getValue()).isEqualTo("1.2.0");
    }

    @Test
    void theSlideAwareParasitaemiaTravelsAsAComponentBesideTheCountedValue() {
        SlideResult r = slide("s5", "p", 1000, 120, 10.1, 14.2);
        r.setSlideAwareParasitaemiaPct(13.25);
        String json = reports.toJson(r).orElseThrow();

        IParser parser = FhirReports.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        DiagnosticReport report = parser.parseResource(DiagnosticReport.class, json);
        Observation parasitaemia = contained(report, Observation.class, "parasitaemia");
        assertThat(((Quantity) parasitaemia.getValue()).getValue().doubleValue()).isEqualTo(12.0);
        assertThat(parasitaemia.getComponent()).hasSize(4);
        Observation.ObservationComponentComponent slideAware = parasitaemia.getComponent().get(3);
        assertThat(slideAware.getCode().getCodingFirstRep().getSystem()).isEqualTo(FhirReports.LOCAL_CODES);
        assertThat(slideAware.getCode().getCodingFirstRep().getCode()).isEqualTo("parasitaemia-slide-aware");
        assertThat(((Quantity) slideAware.getValue()).getValue().doubleValue()).isEqualTo(13.25);
        assertThat(((Quantity) slideAware.getValue()).getCode()).isEqualTo("%");
        assertThat(report.getConclusion()).contains("slide-aware 13.250%");
        assertThat(reports.validate(report)).isEmpty();
    }

    @Test
    void lowParasitaemiaWithinTheModelsFalsePositiveRateIsNotDetected() {
        // 1.5% predicted, lower bound 0.9%: below the 3% threshold.
        SlideResult r = slide("s2", null, 1000, 15, 0.9, 2.5);
        DiagnosticReport report = reports.report(r);
        Observation presence = contained(report, Observation.class, "presence");
        assertThat(((CodeableConcept) presence.getValue()).getCodingFirstRep().getCode()).isEqualTo("260415000");
        assertThat(report.hasSubject()).isFalse();
        assertThat(reports.validate(report)).isEmpty();
    }

    @Test
    void schemaValidationCatchesWhatTheR4SchemaForbids() {
        DiagnosticReport report = reports.report(slide("s3", "p", 100, 1, 0.1, 5.0));
        report.setStatus(null); // status is mandatory in R4
        assertThat(reports.validate(report)).isNotEmpty();
    }

    @Test
    void aReportThatCannotBeValidIsSkippedNotThrown() {
        // A control character cannot appear in XML, so this patient reference fails the schema.
        assertThat(reports.toJson(slide("s4", "bad\u0001ref", 100, 1, 0.1, 5.0))).isEmpty();
    }

    @Test
    void costOfOneReport() {
        reports.toJson(slide("warm", "p", 1000, 10, 0.5, 1.8));
        long build = 0, validate = 0, encode = 0;
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            DiagnosticReport r = reports.report(slide("s" + i, "p", 1000, i, 0.5, 1.8));
            long t1 = System.nanoTime();
            assertThat(reports.validate(r)).isEmpty();
            long t2 = System.nanoTime();
            FhirReports.context().newJsonParser().encodeResourceToString(r);
            long t3 = System.nanoTime();
            build += t1 - t0; validate += t2 - t1; encode += t3 - t2;
        }
        System.out.printf("FHIR report per slide: build %.2f ms, validate %.2f ms, encode %.2f ms%n",
                build / 2e8, validate / 2e8, encode / 2e8);
    }

    private static <T> T contained(DiagnosticReport report, Class<T> type, String id) {
        return report.getContained().stream()
                .filter(r -> r.getIdElement().getIdPart().equals(id) || r.getId().equals("#" + id))
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no contained " + id + " in " + report.getContained()));
    }
}
