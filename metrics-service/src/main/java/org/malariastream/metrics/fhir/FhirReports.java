package org.malariastream.metrics.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SchemaBaseValidator;
import ca.uhn.fhir.validation.ValidationResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.malariastream.avro.SlideResult;

/**
 * A completed slide as a FHIR R4 DiagnosticReport, for EHR integrations: status {@code preliminary} (a
 * model's screening result until a microscopist confirms it), with contained Observations
 * <ul>
 *   <li>Plasmodium presence, LOINC 51587-4 "Plasmodium sp [Presence] in Blood by Light microscopy", valued
 *       SNOMED CT 260373001 Detected / 260415000 Not detected;</li>
 *   <li>parasitaemia, LOINC 101343-2 "Erythrocytes.parasite sp infected/cells in Blood" (number fraction,
 *       in %), with the 95% Wilson interval and the number of cells examined as components, and the
 *       slide-aware parasitaemia as a further component where the result carries it;</li>
 * </ul>
 * and the model version as the contained Device both observations name. Built with HAPI FHIR's R4 model and
 * checked against the official FHIR R4 XML schemas before it is published.
 */
public final class FhirReports {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FhirReports.class);
    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String LOCAL_CODES = "urn:malaria-stream:codes";
    public static final String SLIDE_SYSTEM = "urn:malaria-stream:slide-id";
    public static final String PATIENT_REF_SYSTEM = "urn:malaria-stream:patient-ref";
    public static final String PRESENCE_LOINC = "51587-4";
    public static final String PARASITAEMIA_LOINC = "101343-2";

    private final double presenceThresholdPct;
    /** Loading the R4 schemas takes a while: one validator, built on first use (it is thread-safe). */
    private volatile FhirValidator validator;

    public FhirReports(double presenceThresholdPct) {
        this.presenceThresholdPct = presenceThresholdPct;
    }

    private FhirValidator validator() {
        FhirValidator v = validator;
        if (v == null) {
            synchronized (this) {
                if (validator == null) {
                    v = context().newValidator();
                    // One schema module, registered once: with setValidateAgainstStandardSchema(true) HAPI
                    // builds a new one, and parses the R4 XSDs again, for every report.
                    v.setValidateAgainstStandardSchema(false);
                    v.setValidateAgainstStandardSchematron(false);
                    v.registerValidatorModule(new SchemaBaseValidator(context()));
                    validator = v;
                }
                v = validator;
            }
        }
        return v;
    }

    /** HAPI's context is costly to build (a second or two) and thread-safe: one per JVM. */
    public static FhirContext context() {
        return FhirContext.forR4Cached();
    }

    /** Builds, validates and encodes one sample report, so that HAPI's lazy initialisation is done. */
    public void warmUp() {
        toJson(SlideResult.newBuilder().setSlideId("warm-up").setModelName("m").setModelVersion("v")
                .setStatus(org.malariastream.avro.SlideStatus.COMPLETE).setCellsClassified(1).setCellsPredictedParasitized(0)
                .setParasitaemiaPct(0).setParasitaemiaCiLowPct(0).setParasitaemiaCiHighPct(50)
                .setUpdatedAt(java.time.Instant.EPOCH).build());
    }

    /** Whether the slide counts as positive: the lower 95% bound of its parasitaemia is above the threshold. */
    public boolean detected(SlideResult r) {
        return r.getCellsClassified() > 0 && r.getParasitaemiaCiLowPct() > presenceThresholdPct;
    }

    public DiagnosticReport report(SlideResult r) {
        String id = fhirId("slide-" + r.getSlideId());
        Device device = new Device();
        device.setId("model");
        device.addDeviceName().setName(r.getModelName()).setType(Device.DeviceNameType.MODELNAME);
        device.addVersion().setValue(r.getModelVersion());
        device.setType(new CodeableConcept().setText("Automated red-cell classifier (CNN) for Giemsa thin smears"));

        Observation presence = observation("presence", r, new Coding(LOINC, PRESENCE_LOINC,
                "Plasmodium sp [Presence] in Blood by Light microscopy"));
        boolean detected = detected(r);
        presence.setValue(new CodeableConcept(detected
                ? new Coding(SNOMED, "260373001", "Detected")
                : new Coding(SNOMED, "260415000", "Not detected")));
        presence.addNote().setText(String.format(Locale.ROOT, "Detected when the lower 95%% Wilson bound of the"
                + " predicted parasitaemia exceeds %.2f%%.", presenceThresholdPct));

        Observation parasitaemia = observation("parasitaemia", r, new Coding(LOINC, PARASITAEMIA_LOINC,
                "Erythrocytes.parasite sp infected/cells in Blood"));
        parasitaemia.setValue(percent(r.getParasitaemiaPct()));
        parasitaemia.addComponent()
                .setCode(new CodeableConcept(new Coding(LOCAL_CODES, "parasitaemia-ci95-low",
                        "Parasitaemia, lower bound of the 95% Wilson interval")))
                .setValue(percent(r.getParasitaemiaCiLowPct()));
        parasitaemia.addComponent()
                .setCode(new CodeableConcept(new Coding(LOCAL_CODES, "parasitaemia-ci95-high",
                        "Parasitaemia, upper bound of the 95% Wilson interval")))
                .setValue(percent(r.getParasitaemiaCiHighPct()));
        parasitaemia.addComponent()
                .setCode(new CodeableConcept(new Coding(LOCAL_CODES, "cells-examined", "Red cells classified")))
                .setValue(new Quantity().setValue(r.getCellsClassified()).setUnit("cells")
                        .setSystem(UCUM).setCode("{cells}"));
        if (r.getSlideAwareParasitaemiaPct() != null) {
            // A component, not the value: the counted share stays the reported figure, this is the estimate
            // that reads each cell with its slide as context (README, metrics service).
            parasitaemia.addComponent()
                    .setCode(new CodeableConcept(new Coding(LOCAL_CODES, "parasitaemia-slide-aware",
                            "Parasitaemia with the slide as context: cells counted after each cell's probability is"
                                    + " moved to the slide's estimated parasitized share")))
                    .setValue(percent(r.getSlideAwareParasitaemiaPct()));
        }

        DiagnosticReport report = new DiagnosticReport();
        report.setId(id);
        report.addIdentifier(new Identifier().setSystem(SLIDE_SYSTEM).setValue(r.getSlideId()));
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        report.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "PAR",
                "Parasitology")));
        report.setCode(new CodeableConcept(new Coding(LOINC, PRESENCE_LOINC,
                "Plasmodium sp [Presence] in Blood by Light microscopy"))
                .setText("Malaria thin smear, automated cell classification"));
        subject(r).ifPresent(report::setSubject);
        if (r.getFirstCapturedAt() != null) {
            report.setEffective(new DateTimeType(Date.from(r.getFirstCapturedAt())));
        }
        report.setIssued(Date.from(r.getUpdatedAt()));
        report.addContained(device);
        report.addContained(presence);
        report.addContained(parasitaemia);
        report.addResult(new Reference("#presence"));
        report.addResult(new Reference("#parasitaemia"));
        report.setConclusion(String.format(Locale.ROOT,
                "Plasmodium %s by automated screening: predicted parasitaemia %.3f%% (95%% CI %.3f-%.3f%%)%s of %d"
                        + " red cells, model %s %s. Preliminary until confirmed by a microscopist.",
                detected ? "detected" : "not detected", r.getParasitaemiaPct(), r.getParasitaemiaCiLowPct(),
                r.getParasitaemiaCiHighPct(), r.getSlideAwareParasitaemiaPct() == null ? ""
                        : String.format(Locale.ROOT, ", slide-aware %.3f%%", r.getSlideAwareParasitaemiaPct()),
                r.getCellsClassified(), r.getModelName(), r.getModelVersion()));
        return report;
    }

    private static Observation observation(String id, SlideResult r, Coding code) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
                "laboratory", "Laboratory")));
        o.setCode(new CodeableConcept(code));
        subject(r).ifPresent(o::setSubject);
        if (r.getFirstCapturedAt() != null) {
            o.setEffective(new DateTimeType(Date.from(r.getFirstCapturedAt())));
        }
        o.setDevice(new Reference("#model"));
        o.setMethod(new CodeableConcept().setText("Light microscopy image, automated classification of each red cell"));
        return o;
    }

    private static java.util.Optional<Reference> subject(SlideResult r) {
        if (r.getPatientRef() == null || r.getPatientRef().isBlank()) {
            return java.util.Optional.empty();
        }
        // A pseudonymous reference: the EHR side resolves it; no name or record number travels here.
        return java.util.Optional.of(new Reference().setType("Patient")
                .setIdentifier(new Identifier().setSystem(PATIENT_REF_SYSTEM).setValue(r.getPatientRef())));
    }

    private static Quantity percent(double value) {
        return new Quantity().setValue(BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP))
                .setUnit("%").setSystem(UCUM).setCode("%");
    }

    /** FHIR ids are 1-64 of [A-Za-z0-9-.]: other characters become '-', the slide id stays in the identifier. */
    static String fhirId(String raw) {
        String id = raw.replaceAll("[^A-Za-z0-9.-]", "-");
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    /** Problems the FHIR R4 schemas find; empty when the report is valid. */
    public List<String> validate(DiagnosticReport report) {
        ValidationResult result = validator().validateWithResult(report);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    /**
     * The report as FHIR JSON when it passes the R4 schema, else empty. A failure means input the schema
     * refuses got through (say a control character in a patient reference); the slide's result on
     * results.slides still stands, and the caller logs and counts the failure instead of stopping.
     */
    public java.util.Optional<String> toJson(SlideResult r) {
        DiagnosticReport report = report(r);
        List<String> problems = validate(report);
        if (!problems.isEmpty()) {
            log.warn("No FHIR report for slide {}: the DiagnosticReport fails the R4 schema: {}", r.getSlideId(), problems);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(context().newJsonParser().encodeResourceToString(report));
    }
}
