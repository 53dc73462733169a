package org.malariastream.schemas;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.malariastream.avro.DeadLetter;

/**
 * How much of the original a dead letter carries. A dead letter too large for Kafka would fail as if Kafka were
 * away, and be retried for ever: the hot folder would keep re-sending the file, the classifier would abort every
 * transaction on the partitions it owns. So originals over {@link #MAX_ORIGINAL_BYTES} are not carried; their size
 * is, under the attribute {@link #ORIGINAL_BYTES}, and the original stays where it came from (the source topic at
 * the offset the dead letter names, the hot folder's rejected/ folder, the replayed dataset, the scanner).
 */
public final class DeadLetters {
    /**
     * The default image limit: with its other fields, a dead letter that carries this much stays under Kafka's
     * default 1 MiB request and message size.
     */
    public static final int MAX_ORIGINAL_BYTES = 1_000_000;

    /** The attribute that gives the size of an original too large to carry. */
    public static final String ORIGINAL_BYTES = "originalBytes";

    private DeadLetters() {}

    /** Sets the letter's original value, or, when it is over the limit, records its size instead. */
    public static DeadLetter.Builder withOriginalValue(DeadLetter.Builder letter, byte[] value) {
        if (value == null || value.length <= MAX_ORIGINAL_BYTES) {
            return letter.setOriginalValue(value == null ? null : ByteBuffer.wrap(value));
        }
        Map<String, String> attributes = new HashMap<>();
        if (letter.hasAttributes()) {
            attributes.putAll(letter.getAttributes());
        }
        attributes.put(ORIGINAL_BYTES, Integer.toString(value.length));
        return letter.setOriginalValue(null).setAttributes(attributes);
    }
}
