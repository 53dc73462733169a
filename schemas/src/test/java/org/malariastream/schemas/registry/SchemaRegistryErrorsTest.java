package org.malariastream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.avro.CellImage;
import org.malariastream.schemas.SampleRecords;
import org.malariastream.stack.FreePorts;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/** The errors a user meets: each one says what is wrong, and whether retrying can help. */
@ExtendWith(LocalStackExtension.class)
class SchemaRegistryErrorsTest {
    private final LocalStack stack;

    SchemaRegistryErrorsTest(LocalStack stack) {
        this.stack = stack;
    }

    private static ConfluentAvroSerializer serializer(String urls, Map<String, Object> extra) {
        ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
        Map<String, Object> cfg = new java.util.HashMap<>(extra);
        cfg.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, urls);
        serializer.configure(cfg, false);
        return serializer;
    }

    private ConfluentAvroDeserializer deserializer() {
        return deserializer(stack.schemaRegistryUrl());
    }

    private static ConfluentAvroDeserializer deserializer(String url) {
        ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return deserializer;
    }

    @Test
    void registryThatIsDownGivesARetryableErrorNamingTheUrl() {
        String url = "http://127.0.0.1:" + FreePorts.pick() + "/apis/ccompat/v7";
        ConfluentAvroSerializer serializer = serializer(url, Map.of());
        assertThatThrownBy(() -> serializer.serialize("cells.images", SampleRecords.realCellImage()))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class,
                        e -> assertThat(e.isRetryable()).isTrue())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("did not answer");
    }

    @Test
    void registryThatAcceptsButNeverAnswersTimesOutInsteadOfHanging() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            ConfluentAvroSerializer serializer = serializer(url, Map.of(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS, 300));
            assertThatThrownBy(() -> serializer.serialize("cells.images", SampleRecords.realCellImage()))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("HttpTimeoutException");
            silent.close();
            acceptor.join();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void secondUrlIsUsedWhenTheFirstIsDown() {
        String dead = "http://127.0.0.1:" + FreePorts.pick();
        ConfluentAvroSerializer serializer = serializer(dead + "," + stack.schemaRegistryUrl(), Map.of());
        CellImage image = SampleRecords.realCellImage();
        byte[] bytes = serializer.serialize("errors.failover", image);
        assertThat(deserializer().deserialize("errors.failover", bytes)).isEqualTo(image);
    }

    @Test
    void unknownSchemaIdIsAClearNonRetryableError() {
        byte[] bytes = {0, 0x7f, 0x12, 0x34, 0x56, 2, 'x'};
        assertThatThrownBy(() -> deserializer().deserialize("cells.images", bytes))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessageContaining("does not know the schema")
                .hasMessageContaining("/schemas/ids/" + 0x7f123456);
    }

    @Test
    void aUrlThatIsNotTheConfluentApiIsRetryableNotTheRecordsFault() {
        String root = stack.schemaRegistryUrl().replace("/apis/ccompat/v7", ""); // Apicurio itself, another API
        CellImage image = SampleRecords.realCellImage();
        byte[] bytes = serializer(stack.schemaRegistryUrl(), Map.of()).serialize("errors.url", image);
        assertThatThrownBy(() -> deserializer(root).deserialize("errors.url", bytes))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(404))
                .hasMessageContaining(root);
        assertThat(deserializer(root + "," + stack.schemaRegistryUrl()).deserialize("errors.url", bytes))
                .as("the next URL is tried, as for a registry that is down").isEqualTo(image);
    }

    /** No registry here refuses credentials (see below): a JDK HTTP server answers as Confluent's does. */
    @Test
    void refusedCredentialsAndRateLimitsAreRetryableSoNoRecordIsDeadLetteredForThem() throws Exception {
        for (int status : new int[] {401, 403, 429}) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = ("{\"error_code\":" + status + ",\"message\":\"no\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            try {
                String url = "http://127.0.0.1:" + server.getAddress().getPort();
                assertThatThrownBy(() -> deserializer(url).deserialize("cells.images", new byte[] {0, 0, 0, 0, 7, 2}))
                        .as("status %d", status)
                        .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class,
                                e -> assertThat(e.httpStatus()).isEqualTo(status));
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void bytesNotInTheWireFormatAreRejectedBeforeAnyRegistryCall() {
        byte[] json = "{\"slideId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> deserializer().deserialize("cells.images", json))
                .isInstanceOf(WireFormat.NotWireFormatException.class)
                .hasMessageContaining("first byte is 0x7b")
                .hasMessageContaining("cells.images");
        assertThatThrownBy(() -> deserializer().deserialize("cells.images", new byte[] {0, 0, 0}))
                .isInstanceOf(WireFormat.NotWireFormatException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void bodyThatDoesNotMatchItsSchemaIsAClearError() {
        ConfluentAvroSerializer serializer = serializer(stack.schemaRegistryUrl(), Map.of());
        byte[] good = serializer.serialize("errors.truncated", SampleRecords.realCellImage());
        byte[] truncated = java.util.Arrays.copyOf(good, 40);
        assertThatThrownBy(() -> deserializer().deserialize("errors.truncated", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("does not decode with schema id");
    }

    @Test
    void incompatibleSchemaChangeIsRefusedWithTheRegistrysReason() {
        Schema v1 = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
        Schema v2 = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
        SchemaRegistryClient client = new SchemaRegistryClient(new AvroSerdeConfig(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl())));
        client.register("errors.compat-value", v1);
        assertThatThrownBy(() -> client.register("errors.compat-value", v2))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
                .hasMessageContaining("incompatible");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsAnError() {
        ConfluentAvroSerializer serializer = serializer(stack.schemaRegistryUrl(),
                Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false));
        assertThatThrownBy(() -> serializer.serialize("errors.not-registered", SampleRecords.realCellImage()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.isRetryable()).as("the registry's own 404xx: the record's, not the site's").isFalse();
                })
                .hasMessageContaining("errors.not-registered-value");
    }

    /**
     * Apicurio 3 authenticates through OIDC only, so no real registry here checks basic credentials: a JDK
     * HTTP server stands in to show the header Confluent's registry expects is sent.
     */
    @Test
    void basicAuthCredentialsAreSentAsConfluentsRegistryExpects() throws Exception {
        List<String> authHeaders = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authHeaders.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"id\":42}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            byte[] bytes = serializer(url, Map.of(
                    AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO, "lab:s3cret"))
                    .serialize("cells.images", SampleRecords.realCellImage());
            assertThat(authHeaders).containsExactly("Basic bGFiOnMzY3JldA==");
            assertThat(WireFormat.schemaId("cells.images", bytes)).isEqualTo(42);

            serializer("http://lab:s3cret@127.0.0.1:" + server.getAddress().getPort(), Map.of())
                    .serialize("cells.images", SampleRecords.realCellImage());
            assertThat(authHeaders).hasSize(2).allMatch("Basic bGFiOnMzY3JldA=="::equals);
        } finally {
            server.stop(0);
        }
    }
}
