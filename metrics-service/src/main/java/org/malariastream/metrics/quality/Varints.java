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

    /** Sparse counts: number of non-zero entries, then (gap to the previous entry, count) pairs. */
    public static void writeSparse(ByteBuffer out, long[] counts) {
        writeUnsigned(out, nonZero(counts));
        int previous = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                writeUnsigned(out, i - previous);
                writeSigned(out, counts[i]);
                previous = i;
            }
        }
    }

    /** Reads {@link #writeSparse}'s form into {@code counts} (all zero before); returns the sum of the counts. */
    public static long readSparse(ByteBuffer in, long[] counts) {
        long total = 0;
        long n = readUnsigned(in);
        int index = -1;
        for (long k = 0; k < n; k++) {
            index += (int) readUnsigned(in);
            if (index < 0 || index >= counts.length) {
                throw new IllegalArgumentException("sparse entry " + index + " out of range");
            }
            counts[index] = readSigned(in);
            total += counts[index];
        }
        return total;
    }

    /** An upper bound of {@link #writeSparse}'s size. */
    public static int maxSparseSize(long[] counts) {
        return 5 + nonZero(counts) * 15;
    }

    public static int nonZero(long[] counts) {
        int n = 0;
        for (long c : counts) {
            if (c != 0) {
                n++;
            }
        }
        return n;
    }
}
