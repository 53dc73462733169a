package org.malariastream.classifier.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CellNameTest {

    @Test
    void infectedPatientNameGivesPatientSlideAndCell() {
        CellName n = CellName.parse("C100P61ThinF_IMG_20150918_144104_cell_162.png").orElseThrow();
        assertThat(n.patient()).isEqualTo("C100");
        assertThat(n.slide()).isEqualTo("IMG_20150918_144104");
        assertThat(n.cell()).isEqualTo(162);
    }

    @Test
    void healthyDonorNameWithoutPPartParses() {
        CellName n = CellName.parse("C1_thinF_IMG_20150604_104722_cell_9.png").orElseThrow();
        assertThat(n.patient()).isEqualTo("C1");
        assertThat(n.slide()).isEqualTo("IMG_20150604_104722");
    }

    @Test
    void otherNamesDoNotParse() {
        assertThat(CellName.parse("cell.png")).isEmpty();
        assertThat(CellName.parse("C1_thinF_IMG_20150604_104722_cell_9.txt")).isEmpty();
    }
}
