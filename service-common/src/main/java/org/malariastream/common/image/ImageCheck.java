package org.malariastream.common.image;

import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.ImageFormat;

/** What {@link ImageInspector} found: an acceptable image with its header facts, or the reason it is not. */
public sealed interface ImageCheck {
    record Accepted(ImageFormat format, int width, int height) implements ImageCheck {}

    record Rejected(DeadLetterReason reason, String message) implements ImageCheck {}

    default boolean accepted() {
        return this instanceof Accepted;
    }
}
