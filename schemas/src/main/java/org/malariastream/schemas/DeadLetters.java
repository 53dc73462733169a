package org.malariastream.schemas;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.malariastream.avro.DeadLetter;

/**
 * How much of the original a dead letter carries. A dead letter too large for Kafka would fail as if Kafka were
 * away, and be retried for ever: the hot folder would keep re-sending the file, the classifier would abort every
 * transaction on the partitions it owns. So an original value over {@link #MAX_ORIGINAL_BYTES} (a key over
 * {@link #MAX_ORIGINAL_KEY_BYTES}) is not carried; its size is, under the attribute {@link #ORIGINAL_BYTES}
 * ({@link #ORIGINAL_KEY_BYTES}), and the original stays where it came from (the source topic at the offset the
 * dead letter names, the hot folder's rejected/ folder, the replayed dataset, the scanner).
 */
public final class DeadLetters {
    /**
     * The default image limit: with its other fields, a dead letter that carries this much stays under Kafka's
     * default 1 MiB request and message size.
     */
    public static final int MAX_ORIGINAL_BYTES = 1_000_000;

    /** Keys are slide ids, tens of bytes: one of this size is not a key this system wrote. */
    public static final int MAX_ORIGINAL_KEY_BYTES = 16 * 1024;

    /** The attribute that gives the size of an original value too large to carry. */
    public static final String ORIGINAL_BYTES = "originalBytes";

    /** The attribute that gives the size of an original key too large to carry. */
    public static final String ORIGINAL_KEY_BYTES = "originalKeyBytes";

    private DeadLetters() {}

    /** An id as it goes into a dead letter's fields and key: one of any length must not make the letter too large. */
    public static String shortId(String id) {
        return id == null || id.length() <= 256 ? id : id.substring(0, 256);
    }

    /** Sets the letter's original value, or, when it is over the limit, records its size instead. */
    public static DeadLetter.Builder withOriginalValue(DeadLetter.Builder letter, byte[] value) {
        return withOriginal(letter, value, MAX_ORIGINAL_BYTES, ORIGINAL_BYTES, DeadLetter.Builder::setOriginalValue);
    }

    /** Sets the letter's original key, or, when it is over the limit, records its size instead. */
    public static DeadLetter.Builder withOriginalKey(DeadLetter.Builder letter, byte[] key) {
        return withOriginal(letter, key, MAX_ORIGINAL_KEY_BYTES, ORIGINAL_KEY_BYTES,
                DeadLetter.Builder::setOriginalKey);
    }

    private static DeadLetter.Builder withOriginal(DeadLetter.Builder letter, byte[] original, int max,
            String sizeAttribute, BiFunction<DeadLetter.Builder, ByteBuffer, DeadLetter.Builder> set) {
        if (original == null || original.length <= max) {
            return set.apply(letter, original == null ? null : ByteBuffer.wrap(original));
        }
        Map<String, String> attributes = new HashMap<>();
        if (letter.hasAttributes()) {
            attributes.putAll(letter.getAttributes());
        }
        attributes.put(sizeAttribute, Integer.toString(original.length));
        return set.apply(letter, null).setAttributes(attributes);
    }
}
