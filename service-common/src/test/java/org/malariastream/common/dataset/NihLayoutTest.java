package org.malariastream.common.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellClass;
import org.malariastream.common.image.TestImages;

class NihLayoutTest {
    @Test
    void parsesPatientSlideAndCellOfInfectedAndHealthyDonors() {
        assertThat(NihCellName.parse("C100P61ThinF_IMG_20150918_144104_cell_162.png"))
                .contains(new NihCellName("C100", "IMG_20150918_144104", 162));
        assertThat(NihCellName.parse("C1_thinF_IMG_20150604_104722_cell_9.png"))
                .contains(new NihCellName("C1", "IMG_20150604_104722", 9));
        assertThat(NihCellName.parse("C1_thinF_IMG_20150604_104722_cell_9.png").get().cellId()).isEqualTo("cell_9");
        assertThat(NihCellName.parse("C100P61ThinF_IMG_20150918_144104_cell_162.PNG"))
                .contains(new NihCellName("C100", "IMG_20150918_144104", 162));
        assertThat(NihCellName.parse("C1_thinF_IMG_20150604_104722_cell_9.jpg"))
                .contains(new NihCellName("C1", "IMG_20150604_104722", 9));
        assertThat(NihCellName.parse("C1_thinF_IMG_20150604_104722_cell_9.jpeg")).isPresent();
        assertThat(NihCellName.parse("Thumbs.db")).isEmpty();
        assertThat(NihCellName.parse("C1_thinF_IMG_20150604_104722_cell_9.txt")).isEmpty();
    }

    @Test
    void listsLabelledCellsSortedBySlideAndSetsAsideOtherFiles(@TempDir Path dir) throws IOException {
        Path p = Files.createDirectories(dir.resolve("Parasitized"));
        Path u = Files.createDirectories(dir.resolve("Uninfected"));
        Files.write(p.resolve("C100P61ThinF_IMG_20150918_144104_cell_163.png"), TestImages.realPng());
        Files.write(p.resolve("C100P61ThinF_IMG_20150918_144104_cell_162.png"), TestImages.realPng());
        Files.write(u.resolve("C1_thinF_IMG_20150604_104722_cell_9.png"), TestImages.realPng());
        Files.writeString(u.resolve("notes.txt"), "x");

        NihLayout.Listing listing = NihLayout.list(dir);
        assertThat(listing.cells()).extracting(c -> c.name().slide() + "/" + c.name().cell() + "/" + c.label())
                .containsExactly("IMG_20150604_104722/9/UNINFECTED", "IMG_20150918_144104/162/PARASITIZED",
                        "IMG_20150918_144104/163/PARASITIZED");
        assertThat(listing.unnamed()).containsExactly(u.resolve("notes.txt"));
        assertThat(listing.cells().get(1).label()).isEqualTo(CellClass.PARASITIZED);
    }

    @Test
    void aDirectoryInAnotherLayoutIsRefusedWithTheExpectedOne(@TempDir Path dir) {
        assertThatThrownBy(() -> NihLayout.list(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Parasitized/").hasMessageContaining("Uninfected/");
    }
}
