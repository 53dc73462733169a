package org.malariastream.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(DurationConverter.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void saysWhatItExpects() {
        assertThatThrownBy(() -> DurationConverter.parse("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("500ms, 30s, 5m");
    }

    @Test
    void defaultsComeFromTheEnvironmentOrTheDeclaration() {
        MetricsCommand command = new MetricsCommand();
        new CommandLine(command).parseArgs("--window", "10m");
        assertThat(command.window).isEqualTo(Duration.ofMinutes(10));
        assertThat(command.slideIdleTimeout).isEqualTo(Duration.ofMinutes(10));
        assertThat(command.commitInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(command.httpPort).isEqualTo(8083);
        assertThat(command.createTopics).isTrue();
        new CommandLine(command).parseArgs("--no-create-topics");
        assertThat(command.createTopics).isFalse();
    }
}
