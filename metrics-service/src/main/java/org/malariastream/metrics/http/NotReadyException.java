package org.malariastream.metrics.http;

/** The state stores cannot answer yet (starting, rebalancing, restoring): the API answers 503, retry soon. */
public final class NotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
