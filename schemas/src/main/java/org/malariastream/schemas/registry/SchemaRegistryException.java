package org.malariastream.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry refused or could not answer a request. {@link #isRetryable()} tells whether
 * trying again later can help (registry down or overloaded) or not (unknown id, incompatible schema).
 */
public class SchemaRegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** The HTTP status, or -1 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Confluent error code (e.g. 40403 schema not found), or -1. */
    public int errorCode() {
        return errorCode;
    }

    public boolean isRetryable() {
        return false;
    }
}
