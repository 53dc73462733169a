package org.malariastream.classifier.model.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.malariastream.common.SharedData;

/** The direct PNG decoder gives exactly ImageIO's pixels, on real cells and on the other layouts it takes. */
class PngDecoderTest {
    private static RgbImage viaImageIo(byte[] png) throws IOException {
        return ImageDecoder.toRgb(ImageIO.read(new ByteArrayInputStream(png)));
    }

    @Test
    void realCellsDecodeToImageIosPixels() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.list(SharedData.cellImages().resolve("Parasitized")).sorted().limit(150),
                Files.list(SharedData.cellImages().resolve("Uninfected")).sorted().limit(150))) {
            files = s.toList();
        }
        for (Path file : files) {
            byte[] png = Files.readAllBytes(file);
            RgbImage direct = PngDecoder.decode(png);
            RgbImage reference = viaImageIo(png);
            assertThat(direct).as(file.toString()).isNotNull();
            assertThat(direct.width()).isEqualTo(reference.width());
            assertThat(direct.height()).isEqualTo(reference.height());
            assertThat(direct.rgb()).as(file.toString()).isEqualTo(reference.rgb());
        }
    }

    @Test
    void greyAndAlphaLayoutsDecodeAndPaletteImagesAreLeftToImageIo() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR}) {
            byte[] png = png(type);
            assertThat(PngDecoder.decode(png).rgb()).as("type " + type).isEqualTo(viaImageIo(png).rgb());
        }
        // Grey samples are taken as they are (sRGB-encoded, as PNG means them); ImageIO's getRGB would
        // gamma-convert them from its linear grey colour space, so compare with the raw samples instead.
        byte[] grey = png(BufferedImage.TYPE_BYTE_GRAY);
        byte[] samples = ((java.awt.image.DataBufferByte) ImageIO.read(new ByteArrayInputStream(grey))
                .getRaster().getDataBuffer()).getData();
        byte[] expected = new byte[samples.length * 3];
        for (int i = 0; i < samples.length; i++) {
            Arrays.fill(expected, i * 3, i * 3 + 3, samples[i]);
        }
        assertThat(PngDecoder.decode(grey).rgb()).isEqualTo(expected);
        byte[] palette = png(BufferedImage.TYPE_BYTE_INDEXED);
        assertThat(PngDecoder.decode(palette)).isNull();
        assertThat(ImageDecoder.decode(palette).rgb()).isEqualTo(viaImageIo(palette).rgb());
    }

    @Test
    void truncatedImageDataIsAnError() throws Exception {
        byte[] png = Files.readAllBytes(SharedData.cellImages().resolve("Parasitized/C100P61ThinF_IMG_20150918_144104_cell_162.png"));
        assertThatThrownBy(() -> PngDecoder.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOf(ImageDecodeException.class);
        byte[] corrupt = png.clone();
        for (int i = 60; i < 400; i++) {
            corrupt[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> PngDecoder.decode(corrupt)).isInstanceOf(ImageDecodeException.class);
    }

    private static byte[] png(int type) throws IOException {
        BufferedImage image = new BufferedImage(37, 23, type);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                image.setRGB(x, y, new Color((x * 7) % 256, (y * 11) % 256, (x * y) % 256, 255).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
