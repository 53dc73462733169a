package org.malariastream.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.ImageFormat;

class ImageInspectorTest {
    private final ImageInspector inspector = new ImageInspector(ImageLimits.DEFAULT);

    private DeadLetterReason reasonFor(byte[] bytes) {
        ImageCheck check = inspector.inspect(bytes);
        assertThat(check).isInstanceOf(ImageCheck.Rejected.class);
        return ((ImageCheck.Rejected) check).reason();
    }

    @Test
    void realPngAndJpegAreAcceptedWithTheirHeaderSize() {
        assertThat(inspector.inspect(TestImages.realPng())).isEqualTo(new ImageCheck.Accepted(ImageFormat.PNG, 142, 148));
        assertThat(inspector.inspect(TestImages.realJpeg())).isEqualTo(new ImageCheck.Accepted(ImageFormat.JPEG, 142, 148));
    }

    @Test
    void everyImageOfTwoRealSlidesIsAccepted() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(TestImages.cellImages().resolve("Uninfected"))) {
            files = list.sorted().limit(300).toList();
        }
        assertThat(files).hasSize(300);
        for (Path file : files) {
            assertThat(inspector.inspect(TestImages.read(file)).accepted()).as(file.toString()).isTrue();
        }
    }

    @Test
    void brokenInputGetsTheReasonThatDescribesIt() {
        byte[] png = TestImages.realPng();
        assertThat(reasonFor(new byte[0])).isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
        assertThat(reasonFor(Arrays.copyOf(png, png.length / 2))).isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
        assertThat(reasonFor(Arrays.copyOf(png, png.length - 12))).as("cut just before IEND").isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
        byte[] jpeg = TestImages.realJpeg();
        assertThat(reasonFor(Arrays.copyOf(jpeg, jpeg.length - 100))).isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
        assertThat(reasonFor("cell 162, parasitized\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(DeadLetterReason.NOT_AN_IMAGE);
        assertThat(reasonFor(TestImages.pngHeaderClaiming(20_000, 20_000))).isEqualTo(DeadLetterReason.DIMENSIONS_OUT_OF_RANGE);
        assertThat(reasonFor(TestImages.pngHeaderClaiming(-1, 5))).isEqualTo(DeadLetterReason.DIMENSIONS_OUT_OF_RANGE);
        byte[] corrupt = png.clone();
        corrupt[40] ^= 0x55;
        assertThat(reasonFor(corrupt)).isEqualTo(DeadLetterReason.UNDECODABLE_IMAGE);
        assertThat(new ImageInspector(new ImageLimits(1000, 8, 2048)).inspect(png))
                .isInstanceOfSatisfying(ImageCheck.Rejected.class, r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE));
    }

    @Test
    void messagesSayWhatIsWrongInWordsAScannerDeveloperCanActOn() {
        assertThat(inspector.inspect("hello world, not a png".getBytes(StandardCharsets.UTF_8)))
                .hasToString("Rejected[reason=NOT_AN_IMAGE, message=not a PNG or JPEG image: it starts like text (\"hello world, not\")]");
        assertThat(((ImageCheck.Rejected) inspector.inspect(TestImages.pngHeaderClaiming(20_000, 20_000))).message())
                .isEqualTo("the PNG header says 20000 x 20000 px; a cell image must be 8 to 2048 px a side");
        byte[] png = TestImages.realPng();
        assertThat(((ImageCheck.Rejected) inspector.inspect(Arrays.copyOf(png, 100))).message()).contains("truncated");
    }
}
