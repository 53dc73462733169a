package org.malariastream.schemas.registry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the Avro serdes, under Confluent's own keys, so that a client configured for Confluent's
 * {@code KafkaAvroSerializer} works with these serdes unchanged, and the other way round.
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** The older spelling Confluent still reads. */
    public static final String LEGACY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Comma-separated base URLs of a registry speaking the Confluent Schema Registry API"
                            + " (for Apicurio: http://host:port/apis/ccompat/v7). Tried in order when one is down.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the writer's schema under its subject when it is not there yet."
                            + " When false the schema must already be registered.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
                    "With auto.register.schemas=false: write with the id of the subject's latest version.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserialise into the generated (specific) classes instead of GenericRecord.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL",
                    ConfigDef.ValidString.in("URL", "USER_INFO"), Importance.MEDIUM,
                    "Where HTTP basic credentials come from: USER_INFO (basic.auth.user.info) or URL (user:pass@host).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic authentication, with basic.auth.credentials.source=USER_INFO.")
            .define(LEGACY_BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                    "Older name of basic.auth.user.info.")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC.confluentClass(), Importance.LOW,
                    "How subjects are named for keys: Confluent's TopicNameStrategy, RecordNameStrategy or"
                            + " TopicRecordNameStrategy (fully qualified Confluent class names, or the simple names).")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC.confluentClass(), Importance.LOW,
                    "How subjects are named for values; see key.subject.name.strategy.")
            .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 5_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How long to wait for a connection to the registry before trying the next URL.")
            .define(HTTP_READ_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How long to wait for the registry's answer.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                    "Trust store for an HTTPS registry with a private CA (default: the JVM's trust store).")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of the trust store.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Type of the trust store.");

    public AvroSerdeConfig(Map<?, ?> props) {
        super(DEFINITION, props, false);
    }

    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** The user:password to send, or null for none. */
    public String basicAuthUserInfo() {
        if (!"USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            return null;
        }
        Password info = getPassword(BASIC_AUTH_USER_INFO);
        if (info == null) {
            info = getPassword(LEGACY_BASIC_AUTH_USER_INFO);
        }
        if (info == null || !info.value().contains(":")) {
            throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)",
                    "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=user:password");
        }
        return info.value();
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        String value = getString(key);
        return Arrays.stream(SubjectNameStrategy.values())
                .filter(s -> s.confluentClass().equals(value) || s.simpleName().equals(value))
                .findFirst()
                .orElseThrow(() -> new ConfigException(key, value, "not one of TopicNameStrategy,"
                        + " RecordNameStrategy, TopicRecordNameStrategy"));
    }

    public int connectTimeoutMs() {
        return getInt(HTTP_CONNECT_TIMEOUT_MS);
    }

    public int readTimeoutMs() {
        return getInt(HTTP_READ_TIMEOUT_MS);
    }

    public String truststoreLocation() {
        return getString(SSL_TRUSTSTORE_LOCATION);
    }

    public char[] truststorePassword() {
        Password p = getPassword(SSL_TRUSTSTORE_PASSWORD);
        return p == null ? null : p.value().toCharArray();
    }

    public String truststoreType() {
        return getString(SSL_TRUSTSTORE_TYPE);
    }

    /** Every setting with its documentation, for --help texts and the README. */
    public static String documentation() {
        return DEFINITION.toRst();
    }
}
