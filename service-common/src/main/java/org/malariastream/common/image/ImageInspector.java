package org.malariastream.common.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.ImageFormat;

/**
 * Checks that bytes are a complete PNG or JPEG of sane dimensions without decoding the pixels: the
 * signature, the structure (every PNG chunk present with a valid CRC up to IEND; JPEG segments up to the
 * scan and the end-of-image marker) and the header's width and height. It costs microseconds, so every
 * door can afford it, and it refuses a 20,000 x 20,000 header before any decoder allocates for it.
 */
public final class ImageInspector {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");

    private final ImageLimits limits;

    public ImageInspector(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * The size check alone, for a door that knows the size before it reads the bytes (a file): input over the
     * limit is refused without being read, so a huge file can neither exhaust memory nor be dead-lettered whole.
     */
    public Optional<ImageCheck.Rejected> checkSize(long bytes) {
        if (bytes <= limits.maxBytes()) {
            return Optional.empty();
        }
        return Optional.of(new ImageCheck.Rejected(DeadLetterReason.PAYLOAD_TOO_LARGE,
                "the image is " + bytes + " bytes, more than the limit of " + limits.maxBytes()));
    }

    public ImageLimits limits() {
        return limits;
    }

    public ImageCheck inspect(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return reject(DeadLetterReason.EMPTY_PAYLOAD, "the image is empty (0 bytes)");
        }
        Optional<ImageCheck.Rejected> tooLarge = checkSize(bytes.length);
        if (tooLarge.isPresent()) {
            return tooLarge.get();
        }
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return inspectPng(bytes);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return inspectJpeg(bytes);
        }
        return reject(DeadLetterReason.NOT_AN_IMAGE, "not a PNG or JPEG image: " + describe(bytes));
    }

    private ImageCheck inspectPng(byte[] b) {
        int pos = PNG_SIGNATURE.length;
        int width = 0;
        int height = 0;
        boolean header = false;
        int idatChunks = 0;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > b.length) {
                return reject(DeadLetterReason.TRUNCATED_IMAGE, "the PNG ends after " + b.length
                        + " bytes, before its IEND chunk: the file is truncated");
            }
            long length = readInt(b, pos) & 0xffffffffL;
            int type = readInt(b, pos + 4);
            if (pos + 12 + length > b.length) {
                return reject(DeadLetterReason.TRUNCATED_IMAGE, "the PNG chunk " + typeName(type) + " at byte " + pos
                        + " needs " + (12 + length) + " bytes but only " + (b.length - pos) + " remain: the file is truncated");
            }
            int dataLength = (int) length;
            crc.reset();
            crc.update(b, pos + 4, 4 + dataLength);
            if ((int) crc.getValue() != readInt(b, pos + 8 + dataLength)) {
                return reject(DeadLetterReason.UNDECODABLE_IMAGE, "the PNG chunk " + typeName(type) + " at byte " + pos
                        + " fails its CRC: the file is corrupt");
            }
            if (!header) {
                if (type != IHDR || dataLength != 13) {
                    return reject(DeadLetterReason.UNDECODABLE_IMAGE, "the PNG does not start with an IHDR header chunk");
                }
                header = true;
                width = readInt(b, pos + 8);
                height = readInt(b, pos + 12);
            } else if (type == IDAT) {
                idatChunks++;
            } else if (type == IEND) {
                break;
            }
            pos += 12 + dataLength;
        }
        if (idatChunks == 0) {
            return reject(DeadLetterReason.UNDECODABLE_IMAGE, "the PNG has no image data (IDAT chunk)");
        }
        return checkDimensions(ImageFormat.PNG, width, height);
    }

    private ImageCheck inspectJpeg(byte[] b) {
        int pos = 2;
        int width = -1;
        int height = -1;
        while (true) {
            if (pos + 4 > b.length) {
                return reject(DeadLetterReason.TRUNCATED_IMAGE, "the JPEG ends inside its headers: the file is truncated");
            }
            if ((b[pos] & 0xff) != 0xff) {
                return reject(DeadLetterReason.UNDECODABLE_IMAGE, "the JPEG has no marker where one belongs (byte " + pos + ")");
            }
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            int length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            if (length < 2 || pos + 2 + length > b.length) {
                return reject(DeadLetterReason.TRUNCATED_IMAGE, "the JPEG segment at byte " + pos + " runs past the end: the file is truncated");
            }
            boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (startOfFrame && length >= 7) {
                height = ((b[pos + 5] & 0xff) << 8) | (b[pos + 6] & 0xff);
                width = ((b[pos + 7] & 0xff) << 8) | (b[pos + 8] & 0xff);
            }
            pos += 2 + length;
            if (marker == 0xda) {
                break; // start of scan: entropy-coded data follows up to the end-of-image marker
            }
        }
        if (width < 0) {
            return reject(DeadLetterReason.UNDECODABLE_IMAGE, "the JPEG has no frame header (SOF) before its scan");
        }
        if (!endsWithEndOfImage(b, pos)) {
            return reject(DeadLetterReason.TRUNCATED_IMAGE, "the JPEG has no end-of-image marker: the file is truncated");
        }
        return checkDimensions(ImageFormat.JPEG, width, height);
    }

    /** The EOI marker ends the data; some encoders pad a few bytes after it. */
    private static boolean endsWithEndOfImage(byte[] b, int scanStart) {
        for (int i = b.length - 2; i >= Math.max(scanStart, b.length - 64); i--) {
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xd9) {
                return true;
            }
        }
        return false;
    }

    private ImageCheck checkDimensions(ImageFormat format, int width, int height) {
        if (width < limits.minSide() || height < limits.minSide() || width > limits.maxSide() || height > limits.maxSide()) {
            return reject(DeadLetterReason.DIMENSIONS_OUT_OF_RANGE, "the " + format + " header says " + Integer.toUnsignedString(width)
                    + " x " + Integer.toUnsignedString(height) + " px; a cell image must be " + limits.minSide() + " to "
                    + limits.maxSide() + " px a side");
        }
        return new ImageCheck.Accepted(format, width, height);
    }

    private static ImageCheck reject(DeadLetterReason reason, String message) {
        return new ImageCheck.Rejected(reason, message);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
    }

    private static int chunkType(String name) {
        return readInt(name.getBytes(StandardCharsets.US_ASCII), 0);
    }

    private static String typeName(int type) {
        char[] c = {(char) ((type >>> 24) & 0xff), (char) ((type >>> 16) & 0xff), (char) ((type >>> 8) & 0xff), (char) (type & 0xff)};
        for (char ch : c) {
            if (ch < 0x20 || ch > 0x7e) {
                return String.format("0x%08x", type);
            }
        }
        return new String(c);
    }

    /** A hint of what the bytes are instead, for the error message. */
    private static String describe(byte[] b) {
        int n = Math.min(b.length, 16);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c > 0x7e) {
                text = false;
                break;
            }
        }
        if (text) {
            return "it starts like text (\"" + new String(b, 0, n, StandardCharsets.US_ASCII).replaceAll("\\s+", " ") + "\")";
        }
        StringBuilder hex = new StringBuilder("its first bytes are");
        for (int i = 0; i < Math.min(n, 8); i++) {
            hex.append(String.format(" %02x", b[i]));
        }
        return hex.toString();
    }
}
