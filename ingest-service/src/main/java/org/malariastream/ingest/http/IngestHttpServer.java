package org.malariastream.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.observability.ServiceMetrics;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.CellSubmission;
import org.malariastream.ingest.intake.IntakeResult;
import org.malariastream.ingest.intake.LabelSubmission;
import org.malariastream.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scanners' HTTP door. {@code POST /v1/slides/{slideId}/cells/{cellId}} with a PNG or JPEG body answers
 * 202 with the event id once Kafka has acknowledged the event; a label goes to {@code .../label}. Errors are
 * RFC 9457 problem documents; an OpenAPI description is served at {@code /openapi.json}.
 */
public final class IngestHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ACCEPTED_TYPES = Set.of("image/png", "image/jpeg", "application/octet-stream");
    static final String SCANNER_HEADER = "X-Scanner-Id";
    static final String PATIENT_HEADER = "X-Patient-Ref";
    static final String EXPECTED_HEADER = "X-Expected-Cell-Count";
    static final String CAPTURED_HEADER = "X-Captured-At";

    /**
     * @param bearerToken when set, every /v1 request must carry {@code Authorization: Bearer <token>}
     */
    public record Settings(String host, int port, String defaultScannerId, int maxBodyBytes, Optional<String> bearerToken) {}

    private final Settings settings;
    private final CellIntake intake;
    private final PrometheusMeterRegistry meters;
    private final BooleanSupplier kafkaUp;
    private final Optional<BearerAuth> auth;
    private final byte[] openApi;
    private Javalin app;

    public IngestHttpServer(Settings settings, CellIntake intake, PrometheusMeterRegistry meters, BooleanSupplier kafkaUp) {
        this.settings = settings;
        this.intake = intake;
        this.meters = meters;
        this.kafkaUp = kafkaUp;
        this.auth = settings.bearerToken().filter(t -> !t.isBlank()).map(BearerAuth::new);
        this.openApi = resource("openapi.json");
    }

    public IngestHttpServer start() {
        // No config.http.maxRequestSize: it guards only Javalin's own body readers, and boundedBody reads instead.
        app = Javalin.create(config -> config.showJavalinBanner = false);
        app.before("/v1/*", this::authenticate);
        app.post(IngestRoutes.CELL, this::postCell);
        app.post(IngestRoutes.LABEL, this::postLabel);
        app.get(IngestRoutes.HEALTH, this::health);
        app.get(IngestRoutes.METRICS, ctx -> ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(meters.scrape()));
        app.get(IngestRoutes.OPENAPI, ctx -> ctx.contentType("application/json").result(openApi));
        app.exception(HttpResponseException.class, (e, ctx) -> new Problem(reasonFor(e.getStatus()),
                e.getMessage(), e.getStatus(), e.getMessage()).send(ctx));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            new Problem("INTERNAL", "Internal error", 500, "the server failed unexpectedly; it is logged").send(ctx);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !Problem.CONTENT_TYPE.equals(ctx.contentType())) {
                new Problem("NOT_FOUND", "Not found", 404, "no route " + ctx.method() + " " + ctx.path()
                        + "; see /openapi.json").send(ctx);
            }
        });
        app.start(settings.host(), settings.port());
        log.info("Ingest HTTP listening on http://{}:{} (POST {}, OpenAPI at {}){}", settings.host(), port(),
                IngestRoutes.CELL, IngestRoutes.OPENAPI, auth.isPresent() ? ", bearer token required" : "");
        return this;
    }

    public int port() {
        return app.port();
    }

    private void authenticate(Context ctx) {
        if (auth.isPresent() && !auth.get().allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"malaria-stream ingest\"");
            new Problem("UNAUTHORIZED", "Missing or wrong bearer token", 401,
                    "send the ingest token as 'Authorization: Bearer <token>'").send(ctx);
            ctx.skipRemainingHandlers();
        }
    }

    private void postCell(Context ctx) {
        // The event's format comes from the bytes themselves; the declared type only has to be an image one, or
        // the generic binary type many scanner clients send.
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("").split(";")[0].trim().toLowerCase();
        if (!ACCEPTED_TYPES.contains(contentType)) {
            intake.countRefused(IngestChannel.HTTP.name(), DeadLetterReason.NOT_AN_IMAGE);
            new Problem("UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", 415, "send the cell image as the body with"
                    + " Content-Type image/png, image/jpeg or application/octet-stream (got '" + contentType + "')")
                    .send(ctx);
            return;
        }
        long length = ctx.req().getContentLengthLong();
        if (length > settings.maxBodyBytes()) {
            tooLarge(ctx, length);
            return;
        }
        Optional<byte[]> read = boundedBody(ctx);
        if (read.isEmpty()) {
            tooLarge(ctx, -1);
            return;
        }
        byte[] body = read.get();
        Integer expected;
        Instant capturedAt;
        try {
            expected = Optional.ofNullable(ctx.header(EXPECTED_HEADER)).map(String::trim).map(Integer::valueOf).orElse(null);
            capturedAt = Optional.ofNullable(ctx.header(CAPTURED_HEADER)).map(String::trim).map(Instant::parse).orElse(null);
        } catch (NumberFormatException | DateTimeParseException e) {
            new Problem("INVALID_HEADER", "Invalid header", 400, EXPECTED_HEADER + " must be a whole number and "
                    + CAPTURED_HEADER + " an ISO-8601 instant such as 2026-11-26T09:30:00Z").send(ctx);
            return;
        }
        String scanner = Optional.ofNullable(ctx.header(SCANNER_HEADER)).orElse(settings.defaultScannerId());
        CellSubmission submission = new CellSubmission(IngestChannel.HTTP, scanner, ctx.pathParam("slideId"),
                ctx.pathParam("cellId"), ctx.header(PATIENT_HEADER), expected, capturedAt, body,
                Map.of("contentType", contentType));
        ctx.future(() -> intake.submit(submission).handle((result, error) -> {
            if (error != null) {
                unavailable(ctx, error);
            } else if (result instanceof IntakeResult.Accepted a) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("eventId", a.eventId());
                answer.put("topic", Topics.CELL_IMAGES.name());
                answer.put("partition", a.partition());
                answer.put("offset", a.offset());
                ctx.status(202).json(answer);
            } else if (result instanceof IntakeResult.Rejected r) {
                new Problem(r.reason().name(), "Cell image rejected", 422, r.message()
                        + (r.deadLettered() ? " (kept on " + Topics.INGEST_DLQ.name() + ")" : "")).send(ctx);
            }
            return null;
        }));
    }

    private void postLabel(Context ctx) {
        Optional<byte[]> body = boundedBody(ctx);
        if (body.isEmpty()) {
            new Problem(DeadLetterReason.PAYLOAD_TOO_LARGE.name(), "Body too large", 413, "a label body is JSON of"
                    + " a few hundred bytes; this one is over " + settings.maxBodyBytes() + " bytes").send(ctx);
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body.get());
        } catch (IOException e) {
            rejectLabel(ctx, 400, DeadLetterReason.MALFORMED_RECORD, "the body must be JSON such as"
                    + " {\"label\":\"PARASITIZED\",\"source\":\"microscopist:jdoe\"}", body.get());
            return;
        }
        CellClass label;
        Instant labelledAt;
        try {
            label = CellClass.valueOf(json.path("label").asText("").trim().toUpperCase());
            labelledAt = json.hasNonNull("labelledAt") ? Instant.parse(json.get("labelledAt").asText()) : null;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            label = CellClass.UNKNOWN;
            labelledAt = null;
        }
        if (label == CellClass.UNKNOWN) {
            rejectLabel(ctx, 422, DeadLetterReason.MALFORMED_RECORD, "label must be PARASITIZED or UNINFECTED and"
                    + " labelledAt, when given, an ISO-8601 instant", body.get());
            return;
        }
        LabelSubmission submission = new LabelSubmission(ctx.pathParam("slideId"), ctx.pathParam("cellId"), label,
                json.path("source").asText("microscopist"), labelledAt,
                json.hasNonNull("comment") ? json.get("comment").asText() : null);
        ctx.future(() -> intake.submitLabel(submission).handle((meta, error) -> {
            Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) {
                return rejectedLabelAnswer(ctx, 422, DeadLetterReason.INVALID_IDENTIFIER, cause.getMessage(),
                        body.get());
            }
            if (error != null) {
                unavailable(ctx, error);
            } else {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("topic", Topics.CELL_LABELS.name());
                answer.put("partition", meta.partition());
                answer.put("offset", meta.offset());
                ctx.status(202).json(answer);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(answered -> answered));
    }

    private void rejectLabel(Context ctx, int status, DeadLetterReason reason, String message, byte[] body) {
        ctx.future(() -> rejectedLabelAnswer(ctx, status, reason, message, body));
    }

    /** A refused label is kept (dead letter) before it is answered; if it cannot be kept, the sender must retry. */
    private CompletableFuture<Void> rejectedLabelAnswer(Context ctx, int status, DeadLetterReason reason,
            String message, byte[] body) {
        return intake.rejectLabel(IngestChannel.HTTP, ctx.pathParam("slideId"), ctx.pathParam("cellId"), reason,
                message, body).handle((meta, error) -> {
                    if (error != null) {
                        unavailable(ctx, error);
                    } else {
                        new Problem(reason.name(), "Label rejected", status, message + " (kept on "
                                + Topics.INGEST_DLQ.name() + ")").send(ctx);
                    }
                    return null;
                });
    }

    /**
     * The body, or empty when it is over the limit. Reading stops one byte past the limit: Javalin checks only a
     * declared Content-Length, and a chunked body declares none, so reading it whole would buffer whatever is sent.
     */
    private Optional<byte[]> boundedBody(Context ctx) {
        int limit = settings.maxBodyBytes();
        try {
            byte[] body = ctx.req().getInputStream().readNBytes(limit == Integer.MAX_VALUE ? limit : limit + 1);
            return body.length > limit ? Optional.empty() : Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the request body", e);
        }
    }

    private void health(Context ctx) {
        boolean up = kafkaUp.getAsBoolean();
        ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN", "kafka", up ? "UP" : "DOWN"));
    }

    private void tooLarge(Context ctx, long length) {
        intake.countRefused(IngestChannel.HTTP.name(), DeadLetterReason.PAYLOAD_TOO_LARGE);
        new Problem(DeadLetterReason.PAYLOAD_TOO_LARGE.name(), "Body too large", 413, "the body"
                + (length >= 0 ? " is " + length + " bytes," : "") + " over the limit of " + settings.maxBodyBytes()
                + " bytes for one cell image").send(ctx);
    }

    private static void unavailable(Context ctx, Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        log.warn("Publishing failed: {}", cause.toString());
        ctx.header("Retry-After", "5");
        new Problem("UNAVAILABLE", "Kafka or the schema registry is unavailable", 503,
                "the event was not stored (" + cause.getMessage() + "); send it again later").send(ctx);
    }

    private static String reasonFor(int status) {
        return switch (status) {
            case 413 -> DeadLetterReason.PAYLOAD_TOO_LARGE.name();
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            default -> "HTTP_" + status;
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = IngestHttpServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
