package org.malariastream.classifier.model.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;

/** Decodes PNG / JPEG bytes into {@link RgbImage}s with ImageIO, reading the raster directly. */
public final class ImageDecoder {

    static {
        // ImageIO otherwise buffers every stream through a temporary file.
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {}

    /** True when the bytes start with a PNG or JPEG signature. */
    public static boolean looksLikeImage(byte[] head) {
        if (head == null) {
            return false;
        }
        boolean png = head.length >= 8
                && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0d && head[5] == 0x0a && head[6] == 0x1a && head[7] == 0x0a;
        boolean jpeg = head.length >= 3
                && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
        return png || jpeg;
    }

    /**
     * Decodes an image.
     *
     * @throws ImageDecodeException for empty, truncated or unrecognised data
     */
    public static RgbImage decode(byte[] bytes) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        if (!looksLikeImage(bytes)) {
            throw new ImageDecodeException("not a PNG or JPEG image");
        }
        if (PngDecoder.isPng(bytes)) {
            RgbImage png = PngDecoder.decode(bytes);
            if (png != null) {
                return png;
            }
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (Exception | LinkageError e) {
            throw new ImageDecodeException("cannot decode image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new ImageDecodeException("no image reader accepted the data");
        }
        return toRgb(image);
    }

    /** Converts any {@link BufferedImage} to interleaved RGB. */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int type = image.getType();
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && image.getRaster().getNumDataElements() == (type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4)
                && buffer.getNumBanks() == 1
                && buffer.getData().length == w * h * (type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4)) {
            byte[] src = buffer.getData();
            int step = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
            int off = step - 3; // skip alpha in ABGR
            for (int i = 0, j = 0; j < out.length; i += step, j += 3) {
                out[j] = src[i + off + 2];
                out[j + 1] = src[i + off + 1];
                out[j + 2] = src[i + off];
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, j = y * w * 3; x < w; x++, j += 3) {
                    int p = row[x];
                    out[j] = (byte) (p >> 16);
                    out[j + 1] = (byte) (p >> 8);
                    out[j + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
