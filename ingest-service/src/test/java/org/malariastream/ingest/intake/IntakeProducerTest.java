package org.malariastream.ingest.intake;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.image.ImageLimits;

class IntakeProducerTest {
    private static KafkaConnection site(Map<String, Object> extras) {
        return new KafkaConnection("127.0.0.1:9092", "http://127.0.0.1:8081", extras);
    }

    @Test
    void theDefaultImageLimitFitsKafkasDefaultRequestSize() {
        assertThatCode(() -> IntakeProducer.requireRoomFor(site(Map.of()), ImageLimits.DEFAULT.maxBytes()))
                .doesNotThrowAnyException();
    }

    @Test
    void aLimitOverTheRequestSizeIsRefusedAtStartWithBothSettingsNamed() {
        assertThatThrownBy(() -> IntakeProducer.requireRoomFor(site(Map.of()), 2_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-image-bytes 2000000").hasMessageContaining("max.request.size 1048576");
        assertThatThrownBy(() -> IntakeProducer.requireRoomFor(site(Map.of()), 1_040_000))
                .as("no room left for the event's other fields").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSiteThatRaisesTheRequestSizeMayRaiseTheImageLimit() {
        assertThatCode(() -> IntakeProducer.requireRoomFor(site(Map.of("max.request.size", "4194304")), 2_000_000))
                .doesNotThrowAnyException();
    }
}
