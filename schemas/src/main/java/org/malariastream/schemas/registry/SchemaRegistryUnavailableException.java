package org.malariastream.schemas.registry;

/**
 * No registry answered (refused, timed out, or a 5xx), or none could be asked (credentials refused, rate limited,
 * a wrong URL): retry once it is back or fixed.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchemaRegistryUnavailableException(String message, int httpStatus) {
        super(message, httpStatus, -1);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
