package org.malariastream.classifier.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.classifier.testutil.MessyDataset;

class DatasetSkippingTest {

    @TempDir
    Path tmp;

    @Test
    void emptyTextAndTruncatedFilesAreSkippedAndCountedNeverThrown() throws Exception {
        Path root = MessyDataset.create(tmp, 5);
        CellDataset ds = CellDataset.scan(root);
        // the scan sees empty, non-image and fake-png files by their bytes
        assertThat(ds.skipped()).extracting(s -> s.path().getFileName().toString())
                .containsExactlyInAnyOrder("C999P1ThinF_IMG_20150101_000000_cell_1.png", "notes.txt",
                        "C998_thinF_IMG_20150101_000001_cell_2.png");
        assertThat(ds.files()).hasSize(11); // 10 real + the truncated one, which looks like a PNG

        DecodedCells decoded = DecodedCells.decode(ds, 2, null);
        assertThat(decoded.cells()).hasSize(10);
        assertThat(decoded.skipped()).hasSize(MessyDataset.JUNK_FILES);
        assertThat(decoded.skipped()).anySatisfy(s -> {
            assertThat(s.path().getFileName().toString()).isEqualTo("C997P2ThinF_IMG_20150101_000002_cell_3.png");
            assertThat(s.reason()).isNotBlank();
        });
        assertThat(ds.count(CellLabel.PARASITIZED)).isEqualTo(6);
        assertThat(decoded.cells()).allSatisfy(c -> assertThat(c.file().patient()).startsWith("C"));
    }

    @Test
    void directoryWithoutClassFoldersIsAClearError() throws Exception {
        Files.createDirectories(tmp.resolve("cats"));
        assertThatThrownBy(() -> CellDataset.scan(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Parasitized");
        assertThatThrownBy(() -> CellDataset.scan(tmp.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
    }
}
