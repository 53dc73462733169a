package org.malariastream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A small client of the Confluent Schema Registry REST API: register, look up, and fetch by id, with the
 * answers cached (schema ids never change). It speaks to Confluent Schema Registry, Apicurio's ccompat API,
 * Karapace and Redpanda alike. Safe for concurrent use.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration readTimeout;

    private final Map<SubjectSchema, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    public SchemaRegistryClient(AvroSerdeConfig config) {
        List<String> urls = new ArrayList<>();
        String userInfo = config.basicAuthUserInfo();
        for (String url : config.registryUrls()) {
            URI uri = URI.create(url.trim());
            if (userInfo == null && uri.getUserInfo() != null) {
                userInfo = uri.getUserInfo();
            }
            urls.add(stripUserInfo(uri).replaceAll("/+$", ""));
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " names no registry");
        }
        this.baseUrls = List.copyOf(urls);
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (config.truststoreLocation() != null) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
        this.readTimeout = Duration.ofMillis(config.readTimeoutMs());
    }

    /** Registers the schema under the subject (a no-op when it is there) and returns its id. */
    public int register(String subject, Schema schema) {
        return idsBySchema.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = answer.path("id").asInt(-1);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The id of a schema already registered under the subject; an error when it is not there. */
    public int lookup(String subject, Schema schema) {
        return idsBySchema.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = answer.path("id").asInt(-1);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The id of the subject's latest version (not cached: it moves when a new version is registered). */
    public int latestId(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = answer.path("id").asInt(-1);
        schemasById.computeIfAbsent(id, k -> new Schema.Parser().parse(answer.path("schema").asText()));
        return id;
    }

    /** The schema with this id, as the registry holds it. */
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, k -> {
            JsonNode answer = send("GET", "/schemas/ids/" + id, null);
            String type = answer.path("schemaType").asText("AVRO");
            if (!"AVRO".equals(type)) {
                throw new SchemaRegistryException("Schema id " + id + " is a " + type + " schema, not Avro", 200, -1);
            }
            return new Schema.Parser().parse(answer.path("schema").asText());
        });
    }

    /** The base URLs this client talks to, without credentials. */
    public List<String> urls() {
        return baseUrls;
    }

    private JsonNode send(String method, String path, String body) {
        SchemaRegistryUnavailableException unavailable = null;
        for (String base : baseUrls) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(readTimeout)
                    .header("Accept", ACCEPT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                req.header("Content-Type", CONTENT_TYPE);
            }
            if (authorization != null) {
                req.header("Authorization", authorization);
            }
            HttpResponse<String> res;
            try {
                res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unavailable = new SchemaRegistryUnavailableException("Schema registry at " + base
                        + " did not answer " + method + " " + path + " (" + describe(e) + ")."
                        + " Check that it runs and that schema.registry.url is right; the request can be retried.", e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry", e);
            }
            if (res.statusCode() >= 500) {
                unavailable = new SchemaRegistryUnavailableException("Schema registry at " + base + " answered "
                        + res.statusCode() + " to " + method + " " + path + ": " + res.body()
                        + ". The request can be retried.", res.statusCode());
                continue;
            }
            try {
                return answer(res, base, method, path);
            } catch (SchemaRegistryUnavailableException e) {
                unavailable = e; // this one cannot be asked (credentials, rate limit, not the API): try the next
            }
        }
        throw unavailable;
    }

    private static JsonNode answer(HttpResponse<String> res, String base, String method, String path) {
        JsonNode json;
        try {
            json = JSON.readTree(res.body().isEmpty() ? "{}" : res.body());
        } catch (IOException e) {
            // Not the registry's answer (a proxy's page, a wrong URL): nothing about the record, so retryable.
            throw new SchemaRegistryUnavailableException("Schema registry at " + base + " answered "
                    + res.statusCode() + " to " + method + " " + path + " with a body that is not JSON: "
                    + abbreviate(res.body()) + ". Check schema.registry.url; the request can be retried.",
                    res.statusCode());
        }
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            return json;
        }
        int code = json.path("error_code").asInt(-1);
        String detail = json.path("message").asText(abbreviate(res.body()));
        String what = switch (status) {
            case 401, 403 -> "refused the credentials (check basic.auth.credentials.source and basic.auth.user.info)";
            case 404 -> switch (code) {
                case 40401 -> "does not know the subject";
                case 40403 -> "does not know the schema (was the record written against another registry,"
                        + " or the schema deleted?)";
                default -> "found nothing at " + path + " (is schema.registry.url the Confluent API base URL?)";
            };
            case 409 -> "refused the schema as incompatible with the subject's registered versions";
            case 422 -> "refused the schema as invalid";
            default -> "answered " + status;
        };
        String message = "Schema registry at " + base + " " + what + " [" + method + " " + path
                + " -> " + status + (code > 0 ? ", error " + code : "") + ": " + detail + "]";
        if (saysNothingAboutTheRecord(status, code)) {
            throw new SchemaRegistryUnavailableException(message + ". The request can be retried once that is fixed.",
                    status);
        }
        throw new SchemaRegistryException(message, status, code);
    }

    /**
     * Refused credentials, a rate limit or a 404 without one of the registry's own 404xx codes (a wrong URL):
     * the site's to fix, not the record's fault. Services retry these rather than dead-letter every record
     * while credentials are rotated. An unknown subject or schema, an incompatible or invalid schema are the
     * record's, and retrying does not help.
     */
    private static boolean saysNothingAboutTheRecord(int status, int code) {
        return switch (status) {
            case 401, 403, 407, 408, 429 -> true;
            case 404 -> code / 100 != 404;
            default -> false;
        };
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripUserInfo(URI uri) {
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    private static String describe(IOException e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static SSLContext sslContext(AvroSerdeConfig config) {
        try (InputStream in = Files.newInputStream(Path.of(config.truststoreLocation()))) {
            KeyStore store = KeyStore.getInstance(config.truststoreType());
            store.load(in, config.truststorePassword());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the registry trust store " + config.truststoreLocation(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use the registry trust store " + config.truststoreLocation(), e);
        }
    }
}
