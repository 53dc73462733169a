package org.malariastream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.DeadLetter;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.image.TestImages;
import org.malariastream.common.observability.ServiceMetrics;
import org.malariastream.ingest.KafkaProbe;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.IntakeProducer;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestHttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String slide = "http-" + System.nanoTime();
    private LocalStack stack;
    private Producer<String, Object> producer;
    private IngestHttpServer open;
    private IngestHttpServer secured;

    @BeforeAll
    void start(LocalStack stack) {
        this.stack = stack;
        producer = IntakeProducer.create(KafkaProbe.connection(stack), "http-test");
        PrometheusMeterRegistry meters = ServiceMetrics.prometheus("ingest");
        CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), meters);
        open = new IngestHttpServer(new IngestHttpServer.Settings("127.0.0.1", 0, "http-scanner", 1_000_000, Optional.empty()),
                intake, meters, () -> true).start();
        secured = new IngestHttpServer(new IngestHttpServer.Settings("127.0.0.1", 0, "http-scanner", 1_000_000, Optional.of(TOKEN)),
                intake, meters, () -> false).start();
    }

    @AfterAll
    void stop() {
        open.close();
        secured.close();
        producer.close();
    }

    private HttpResponse<String> post(IngestHttpServer server, String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            req.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            req.headers(headers);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(IngestHttpServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> res, int status, String reason) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("reason").asText()).isEqualTo(reason);
        assertThat(json.get("type").asText()).startsWith("urn:malaria-stream:problem:");
        assertThat(json.get("title").asText()).isNotBlank();
        assertThat(json.get("detail").asText()).isNotBlank();
        return json;
    }

    @Test
    void realImageIsAcceptedWith202AndTheEventIdOnceKafkaHasItByteForByte() throws Exception {
        byte[] png = TestImages.realPng();
        HttpResponse<String> res = post(open, "/v1/slides/" + slide + "/cells/cell_162", "image/png", png,
                "X-Patient-Ref", "C100", "X-Expected-Cell-Count", "3", "X-Scanner-Id", "scanner-9",
                "X-Captured-At", "2026-11-26T09:30:00Z");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(res.body());
        String eventId = answer.get("eventId").asText();
        assertThat(answer.get("topic").asText()).isEqualTo("cells.images");
        assertThat(answer.get("offset").asLong()).isNotNegative();

        List<ConsumerRecord<String, CellImage>> records = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().anyMatch(r -> r.value().getEventId().equals(eventId)), Duration.ofSeconds(30));
        ConsumerRecord<String, CellImage> record = records.stream().filter(r -> r.value().getEventId().equals(eventId)).findFirst().get();
        assertThat(record.key()).isEqualTo(slide);
        assertThat(record.partition()).isEqualTo(answer.get("partition").asInt());
        assertThat(record.offset()).isEqualTo(answer.get("offset").asLong());
        assertThat(record.value().getImage().array()).isEqualTo(png);
        assertThat(record.value().getScannerId()).isEqualTo("scanner-9");
        assertThat(record.value().getPatientRef()).isEqualTo("C100");
        assertThat(record.value().getExpectedCellCount()).isEqualTo(3);
        assertThat(record.value().getCapturedAt()).hasToString("2026-11-26T09:30:00Z");

        HttpResponse<String> again = post(open, "/v1/slides/" + slide + "/cells/cell_162", "image/png", png, "X-Scanner-Id", "scanner-9");
        assertThat(JSON.readTree(again.body()).get("eventId").asText()).as("a resend has the same id").isEqualTo(eventId);
    }

    @Test
    void jpegIsAcceptedToo() throws Exception {
        assertThat(post(open, "/v1/slides/" + slide + "/cells/cell_jpeg", "image/jpeg", TestImages.realJpeg()).statusCode()).isEqualTo(202);
        assertThat(post(open, "/v1/slides/" + slide + "/cells/cell_binary", "application/octet-stream",
                TestImages.realPng()).statusCode()).as("the generic binary type: the bytes say what they are")
                .isEqualTo(202);
        problem(post(open, "/v1/slides/" + slide + "/cells/cell_text", "application/octet-stream",
                "not an image".getBytes(StandardCharsets.UTF_8)), 422, "NOT_AN_IMAGE");
    }

    @Test
    void badImagesGet422ProblemsAndLandOnTheDeadLetterTopicByteForByte() throws Exception {
        byte[] png = TestImages.realPng();
        byte[] truncated = Arrays.copyOf(png, 700);
        byte[] text = "this is a text file renamed to .png".getBytes(StandardCharsets.UTF_8);
        byte[] bomb = TestImages.pngHeaderClaiming(20_000, 20_000);
        problem(post(open, "/v1/slides/" + slide + "/cells/empty", "image/png", new byte[0]), 422, "EMPTY_PAYLOAD");
        JsonNode t = problem(post(open, "/v1/slides/" + slide + "/cells/truncated", "image/png", truncated), 422, "TRUNCATED_IMAGE");
        assertThat(t.get("detail").asText()).contains("truncated").contains("cells.ingest.dlq");
        problem(post(open, "/v1/slides/" + slide + "/cells/text", "image/png", text), 422, "NOT_AN_IMAGE");
        JsonNode b = problem(post(open, "/v1/slides/" + slide + "/cells/bomb", "image/png", bomb), 422, "DIMENSIONS_OUT_OF_RANGE");
        assertThat(b.get("detail").asText()).contains("20000 x 20000");

        // Other tests of this class dead-letter cells of the same slide; these four are this test's.
        List<String> cells = List.of("empty", "truncated", "text", "bomb");
        List<ConsumerRecord<String, DeadLetter>> letters = KafkaProbe.read(stack, Topics.INGEST_DLQ.name(),
                rs -> rs.stream().filter(r -> slide.equals(r.value().getSlideId()) && cells.contains(r.value().getCellId()))
                        .count() >= 4, Duration.ofSeconds(30));
        List<DeadLetter> mine = letters.stream().map(ConsumerRecord::value)
                .filter(l -> slide.equals(l.getSlideId()) && cells.contains(l.getCellId())).toList();
        assertThat(mine).extracting(l -> l.getCellId() + ":" + l.getReason())
                .containsExactlyInAnyOrder("empty:EMPTY_PAYLOAD", "truncated:TRUNCATED_IMAGE", "text:NOT_AN_IMAGE",
                        "bomb:DIMENSIONS_OUT_OF_RANGE");
        assertThat(mine).filteredOn(l -> l.getCellId().equals("truncated")).singleElement()
                .satisfies(l -> assertThat(l.getOriginalValue().array()).isEqualTo(truncated));
        assertThat(mine).filteredOn(l -> l.getCellId().equals("bomb")).singleElement()
                .satisfies(l -> assertThat(l.getOriginalValue().array()).isEqualTo(bomb));
        assertThat(mine).filteredOn(l -> l.getCellId().equals("text")).singleElement()
                .satisfies(l -> assertThat(l.getOriginalValue().array()).isEqualTo(text));
    }

    @Test
    void identifiersThatCouldTraversePathsAreRefusedAndNothingIsPublished() throws Exception {
        for (String path : List.of("/v1/slides/..%2F..%2Fetc/cells/passwd", "/v1/slides/.hidden/cells/x",
                "/v1/slides/" + slide + "/cells/%2E%2E", "/v1/slides/a%20b/cells/c")) {
            HttpResponse<String> res = post(open, path, "image/png", TestImages.realPng());
            assertThat(res.statusCode()).as(path + " -> " + res.body()).isBetween(400, 499);
            assertThat(res.body()).as(path).doesNotContain("eventId");
        }
        problem(post(open, "/v1/slides/.hidden/cells/x", "image/png", TestImages.realPng()), 422, "INVALID_IDENTIFIER");
    }

    @Test
    void oversizedBodyIs413AndWrongTypeIs415() throws Exception {
        JsonNode big = problem(post(open, "/v1/slides/" + slide + "/cells/big", "image/png", new byte[1_200_000]), 413, "PAYLOAD_TOO_LARGE");
        assertThat(big.get("detail").asText()).contains("1000000");
        problem(post(open, "/v1/slides/" + slide + "/cells/txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8)), 415, "UNSUPPORTED_MEDIA_TYPE");
        problem(post(open, "/v1/slides/" + slide + "/cells/h", "image/png", TestImages.realPng(), "X-Expected-Cell-Count", "many"), 400, "INVALID_HEADER");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWithoutBeingReadWhole() throws Exception {
        // A chunked body declares no length, so only reading can find it too large: reading must stop at the limit,
        // not buffer whatever is sent. The client never ends its body (64 MB, no last chunk), so only a server that
        // stops reading at the limit can answer at all.
        long cap = 64L << 20;
        try (Socket socket = new Socket("127.0.0.1", open.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/slides/" + slide + "/cells/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> statusLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                } catch (IOException e) {
                    return "no answer: " + e;
                }
            });
            byte[] chunk = new byte[64 * 1024];
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < cap && !statusLine.isDone()) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (IOException closedByTheServer) {
                // it answered and closed the connection while we were still sending
            }
            assertThat(statusLine.get(30, TimeUnit.SECONDS)).as("an answer to a body that never ends")
                    .startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void bearerTokenIsRequiredWhenConfigured() throws Exception {
        String path = "/v1/slides/" + slide + "/cells/secured";
        HttpResponse<String> none = post(secured, path, "image/png", TestImages.realPng());
        problem(none, 401, "UNAUTHORIZED");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        problem(post(secured, path, "image/png", TestImages.realPng(), "Authorization", "Bearer wrong"), 401, "UNAUTHORIZED");
        assertThat(post(secured, path, "image/png", TestImages.realPng(), "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(202);
        assertThat(get(secured, "/health").statusCode()).as("health needs no token; this server reports Kafka down").isEqualTo(503);
    }

    @Test
    void labelIsRecordedOnCellsLabels() throws Exception {
        HttpResponse<String> res = post(open, "/v1/slides/" + slide + "/cells/cell_162/label", "application/json",
                "{\"label\":\"parasitized\",\"source\":\"microscopist:jdoe\",\"comment\":\"ring form\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        List<ConsumerRecord<String, CellLabel>> labels = KafkaProbe.read(stack, Topics.CELL_LABELS.name(),
                rs -> rs.stream().anyMatch(r -> slide.equals(r.value().getSlideId())), Duration.ofSeconds(30));
        CellLabel label = labels.stream().map(ConsumerRecord::value).filter(l -> slide.equals(l.getSlideId())).findFirst().get();
        assertThat(label.getCellId()).isEqualTo("cell_162");
        assertThat(label.getLabel()).hasToString("PARASITIZED");
        assertThat(label.getComment()).isEqualTo("ring form");

        problem(post(open, "/v1/slides/" + slide + "/cells/cell_162/label", "application/json", "{\"label\":\"maybe\"}".getBytes(StandardCharsets.UTF_8)), 422, "MALFORMED_RECORD");
        problem(post(open, "/v1/slides/" + slide + "/cells/cell_162/label", "application/json", "not json".getBytes(StandardCharsets.UTF_8)), 400, "MALFORMED_RECORD");
        problem(post(open, "/v1/slides/" + slide + "/cells/cell_162/label", "application/json",
                "{\"label\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8)), 422, "MALFORMED_RECORD");
        problem(post(open, "/v1/slides/" + slide + "/cells/.hidden/label", "application/json",
                "{\"label\":\"UNINFECTED\"}".getBytes(StandardCharsets.UTF_8)), 422, "INVALID_IDENTIFIER");

        // Refused labels are kept too, with their reason and their body as sent.
        List<ConsumerRecord<String, DeadLetter>> letters = KafkaProbe.read(stack, Topics.INGEST_DLQ.name(),
                rs -> rs.stream().filter(r -> isLabelOf(r.value(), slide)).count() >= 4, Duration.ofSeconds(30));
        List<DeadLetter> refused = letters.stream().map(ConsumerRecord::value).filter(l -> isLabelOf(l, slide))
                .toList();
        assertThat(refused).extracting(l -> l.getCellId() + ":" + l.getReason() + ":"
                        + StandardCharsets.UTF_8.decode(l.getOriginalValue()))
                .containsExactlyInAnyOrder("cell_162:MALFORMED_RECORD:{\"label\":\"maybe\"}",
                        "cell_162:MALFORMED_RECORD:not json", "cell_162:MALFORMED_RECORD:{\"label\":\"UNKNOWN\"}",
                        ".hidden:INVALID_IDENTIFIER:{\"label\":\"UNINFECTED\"}");
    }

    private static boolean isLabelOf(DeadLetter letter, String slide) {
        return slide.equals(letter.getSlideId()) && "label".equals(letter.getAttributes().get("record"));
    }

    @Test
    void healthMetricsAndOpenApiAreServedAndTheDocumentCoversEveryRoute() throws Exception {
        assertThat(get(open, "/health").body()).contains("\"status\":\"UP\"");
        post(open, "/v1/slides/" + slide + "/cells/counted", "image/png", TestImages.realPng());
        assertThat(get(open, "/metrics").body()).contains("ingest_cells_accepted_total{channel=\"HTTP\",service=\"ingest\"}")
                .contains("jvm_memory_used_bytes");
        JsonNode doc = JSON.readTree(get(open, "/openapi.json").body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        List<String> documented = new java.util.ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(IngestRoutes.DOCUMENTED);
        problem(get(open, "/v2/nothing"), 404, "NOT_FOUND");
    }
}
