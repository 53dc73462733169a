package org.malariastream.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are, and any extra client settings (SASL, TLS, registry auth), for
 * every service. Declared once as picocli options, each with its environment variable, so that
 * {@code --help}, docker-compose and the README say the same thing.
 *
 * <p>Precedence: flag, then environment variable, then the embedded stack when {@code ./malaria stack up}
 * runs it (the launcher passes its addresses as system properties).
 */
public final class KafkaConnectionOptions {
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_ENV = "SCHEMA_REGISTRY_URL";
    /** {@code MALARIA_KAFKA_SECURITY_PROTOCOL=SASL_SSL} becomes {@code security.protocol=SASL_SSL}. */
    public static final String PROPERTY_ENV_PREFIX = "MALARIA_KAFKA_";
    public static final String LOCAL_BOOTSTRAP_PROPERTY = "malaria.local-stack.bootstrap-servers";
    public static final String LOCAL_REGISTRY_PROPERTY = "malaria.local-stack.schema-registry-url";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers. Env: " + BOOTSTRAP_ENV
                    + ". Default: the embedded stack, when ./malaria stack up runs it.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL[,...]",
            description = "Base URL of a registry speaking the Confluent Schema Registry API"
                    + " (Apicurio: http://host:port/apis/ccompat/v7). Env: " + REGISTRY_ENV
                    + ". Default: the embedded stack's registry.")
    String schemaRegistryUrl;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Extra setting passed to every Kafka client and Avro serde, e.g."
                    + " -X security.protocol=SASL_SSL or -X basic.auth.user.info=user:secret. Repeatable."
                    + " Env: " + PROPERTY_ENV_PREFIX + "<KEY> with dots as underscores,"
                    + " e.g. " + PROPERTY_ENV_PREFIX + "SASL_MECHANISM=PLAIN.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Whether a flag or the environment names a Kafka cluster (rather than leaving it to the embedded stack). */
    public boolean namesACluster() {
        return firstOf(bootstrapServers, System.getenv(BOOTSTRAP_ENV)) != null;
    }

    /** Resolves the settings against this process's environment and system properties. */
    public KafkaConnection resolve() {
        return resolve(System.getenv(), System.getProperties());
    }

    /** Resolves against the given environment instead of this process's (plus its MALARIA_KAFKA_* settings). */
    public KafkaConnection resolve(Map<String, String> env) {
        Map<String, String> merged = new java.util.HashMap<>(System.getenv());
        merged.putAll(env);
        return resolve(merged, System.getProperties());
    }

    KafkaConnection resolve(Map<String, String> env, java.util.Properties system) {
        String bootstrap = firstOf(bootstrapServers, env.get(BOOTSTRAP_ENV), system.getProperty(LOCAL_BOOTSTRAP_PROPERTY));
        String registry = firstOf(schemaRegistryUrl, env.get(REGISTRY_ENV), system.getProperty(LOCAL_REGISTRY_PROPERTY));
        if (bootstrap == null) {
            throw new IllegalArgumentException("No Kafka to talk to: pass --bootstrap-servers or set "
                    + BOOTSTRAP_ENV + ", or start the embedded stack with ./malaria stack up");
        }
        if (registry == null) {
            throw new IllegalArgumentException("No schema registry to talk to: pass --schema-registry-url or set "
                    + REGISTRY_ENV + ", or start the embedded stack with ./malaria stack up");
        }
        Map<String, Object> client = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PROPERTY_ENV_PREFIX) && name.length() > PROPERTY_ENV_PREFIX.length()) {
                client.put(name.substring(PROPERTY_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        client.putAll(properties);
        return new KafkaConnection(bootstrap, registry, client);
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
