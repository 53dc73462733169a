package org.malariastream.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaConnectionOptionsTest {
    @Command(name = "svc")
    static class Svc {
        @Mixin
        KafkaConnectionOptions kafka;
    }

    private static KafkaConnectionOptions parse(String... args) {
        Svc svc = new Svc();
        new CommandLine(svc).parseArgs(args);
        return svc.kafka;
    }

    private static final Map<String, String> ENV = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
            "SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7",
            "MALARIA_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "MALARIA_KAFKA_SASL_MECHANISM", "PLAIN",
            "HOME", "/root");

    @Test
    void environmentVariablesConfigureTheConnectionAndPassExtraSettingsThrough() {
        KafkaConnection c = parse().resolve(ENV, new Properties());
        assertThat(c.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(c.schemaRegistryUrl()).isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(c.extraProperties()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"));
        assertThat(c.consumer("g")).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("schema.registry.url", "http://registry:8080/apis/ccompat/v7")
                .containsEntry("isolation.level", "read_committed");
    }

    @Test
    void flagsWinOverEnvironmentAndLocalStack() {
        Properties local = new Properties();
        local.setProperty(KafkaConnectionOptions.LOCAL_BOOTSTRAP_PROPERTY, "127.0.0.1:1");
        KafkaConnection c = parse("--bootstrap-servers", "flag:9092", "-X", "security.protocol=SSL")
                .resolve(ENV, local);
        assertThat(c.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(c.schemaRegistryUrl()).isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(c.extraProperties()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void runningEmbeddedStackIsTheDefault() {
        Properties local = new Properties();
        local.setProperty(KafkaConnectionOptions.LOCAL_BOOTSTRAP_PROPERTY, "127.0.0.1:40001");
        local.setProperty(KafkaConnectionOptions.LOCAL_REGISTRY_PROPERTY, "http://127.0.0.1:40002/apis/ccompat/v7");
        KafkaConnection c = parse().resolve(Map.of(), local);
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:40001");
        assertThat(c.schemaRegistryUrl()).endsWith(":40002/apis/ccompat/v7");
    }

    @Test
    void nothingConfiguredSaysWhatToDo() {
        assertThatThrownBy(() -> parse().resolve(Map.of(), new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers")
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("./malaria stack up");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092").resolve(Map.of(), new Properties()))
                .hasMessageContaining("SCHEMA_REGISTRY_URL");
    }

    @Test
    void extraPropertiesCanSwapInConfluentsSerializerByConfigurationAlone() {
        String confluent = "io.confluent.kafka.serializers.KafkaAvroSerializer";
        KafkaConnection c = parse("-X", "value.serializer=" + confluent).resolve(ENV, new Properties());
        assertThat(c.producer("p")).containsEntry("value.serializer", confluent)
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        assertThat(parse().resolve(ENV, new Properties()).producer("p").get("value.serializer"))
                .isEqualTo("org.malariastream.schemas.registry.ConfluentAvroSerializer");
    }
}
