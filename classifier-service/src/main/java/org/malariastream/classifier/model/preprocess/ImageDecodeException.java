package org.malariastream.classifier.model.preprocess;

/** The bytes are not a decodable PNG / JPEG image (empty, truncated, another format). */
public class ImageDecodeException extends Exception {

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
