package org.malariastream.schemas.registry;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The schema id of a framed payload, or a clear error when the bytes are not in the wire format. */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new NotWireFormatException("Record on " + topic + " is " + payload.length
                    + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id + body)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new NotWireFormatException(String.format("Record on %s is not in the Confluent wire format:"
                    + " first byte is 0x%02x, expected the magic byte 0x00. Was it written without a"
                    + " schema-registry Avro serializer?", topic, payload[0]));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** The five header bytes that precede the Avro body. */
    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** The bytes are not framed as the Confluent wire format; retrying cannot help. */
    public static final class NotWireFormatException extends SerializationException {
        private static final long serialVersionUID = 1L;

        NotWireFormatException(String message) {
            super(message);
        }
    }
}
