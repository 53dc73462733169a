package org.malariastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;

class DeadLettersTest {
    private static DeadLetter.Builder letter() {
        return DeadLetter.newBuilder().setService("test").setStage(DeadLetterStage.VALIDATION)
                .setReason(DeadLetterReason.PAYLOAD_TOO_LARGE).setMessage("m").setOccurredAt(Instant.EPOCH);
    }

    @Test
    void anOriginalUpToTheLimitIsCarriedByteForByte() {
        byte[] value = new byte[DeadLetters.MAX_ORIGINAL_BYTES];
        value[value.length - 1] = 7;
        DeadLetter l = DeadLetters.withOriginalValue(letter().setAttributes(Map.of("a", "b")), value).build();
        assertThat(l.getOriginalValue().array()).isEqualTo(value);
        assertThat(l.getAttributes()).isEqualTo(Map.of("a", "b"));
    }

    @Test
    void anOriginalOverTheLimitIsReplacedByItsSizeBesideTheOtherAttributes() {
        DeadLetter l = DeadLetters.withOriginalValue(letter().setAttributes(Map.of("a", "b")),
                new byte[DeadLetters.MAX_ORIGINAL_BYTES + 1]).build();
        assertThat(l.getOriginalValue()).isNull();
        assertThat(l.getAttributes()).containsOnly(Map.entry("a", "b"),
                Map.entry(DeadLetters.ORIGINAL_BYTES, Integer.toString(DeadLetters.MAX_ORIGINAL_BYTES + 1)));
        DeadLetter bare = DeadLetters.withOriginalValue(letter(), new byte[2_000_000]).build();
        assertThat(bare.getAttributes()).containsOnly(Map.entry(DeadLetters.ORIGINAL_BYTES, "2000000"));
    }

    @Test
    void aKeyOverItsLimitIsReplacedByItsSizeAndLongIdsAreShortened() {
        byte[] key = new byte[DeadLetters.MAX_ORIGINAL_KEY_BYTES + 1];
        DeadLetter l = DeadLetters.withOriginalKey(DeadLetters.withOriginalValue(letter(), new byte[] {1}), key)
                .build();
        assertThat(l.getOriginalKey()).isNull();
        assertThat(l.getOriginalValue().array()).containsExactly(1);
        assertThat(l.getAttributes())
                .containsOnly(Map.entry(DeadLetters.ORIGINAL_KEY_BYTES, Integer.toString(key.length)));
        DeadLetter small = DeadLetters.withOriginalKey(letter(), new byte[] {7}).build();
        assertThat(small.getOriginalKey().array()).containsExactly(7);
        assertThat(DeadLetters.shortId("s".repeat(300))).hasSize(256);
        assertThat(DeadLetters.shortId("slide-1")).isEqualTo("slide-1");
        assertThat(DeadLetters.shortId(null)).isNull();
    }

    @Test
    void noOriginalIsNoOriginal() {
        DeadLetter l = DeadLetters.withOriginalValue(letter(), null).build();
        assertThat(l.getOriginalValue()).isNull();
        assertThat(l.getAttributes()).isEmpty();
    }
}
