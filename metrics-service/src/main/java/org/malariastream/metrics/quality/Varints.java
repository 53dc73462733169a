package org.malariastream.metrics.quality;

import java.nio.ByteBuffer;

/** LEB128 varints (zig-zag for signed values), as Avro and protobuf write them: small numbers, few bytes. */
public final class Varints {
    private Varints() {}

    public static void writeUnsigned(ByteBuffer out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    public static long readUnsigned(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    public static void writeSigned(ByteBuffer out, long value) {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    public static long readSigned(ByteBuffer in) {
        long raw = readUnsigned(in);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
