package org.malariastream.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    @Test
    void eventIdIsTheRfcVersion5UuidOfScannerSlideAndCell() {
        // Expected values computed with Python's uuid.uuid5, an independent implementation.
        assertThat(EventIds.of("scanner-7", "IMG_20150918_144104", "cell_162")).isEqualTo("c5f5ae2e-9b83-5a30-b5c6-3a2332fe6f65");
        assertThat(EventIds.of("hotfolder", "slide-1", "cell_1")).isEqualTo("d616599a-2933-5801-aec0-5bddba8b1898");
        UUID id = UUID.fromString(EventIds.of("a", "b", "c"));
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void differentCellsOrScannersGiveDifferentIds() {
        assertThat(EventIds.of("s", "slide", "cell_1")).isNotEqualTo(EventIds.of("s", "slide", "cell_2"))
                .isNotEqualTo(EventIds.of("t", "slide", "cell_1"));
    }

    @Test
    void identifiersRefusePathTraversalSeparatorsAndControlCharacters() {
        assertThat(Identifiers.problem("slide id", "IMG_20150918_144104")).isEmpty();
        assertThat(Identifiers.problem("cell id", "cell_162.a-b")).isEmpty();
        for (String bad : new String[] {"", "../etc", "..", ".hidden", "a/b", "a\\b", "a b", "a\u0000b", "x".repeat(129)}) {
            assertThat(Identifiers.problem("slide id", bad)).as("'%s'", bad).isPresent();
        }
        assertThat(Identifiers.problem("slide id", "../etc").get()).contains("'../etc' is not a valid id");
    }
}
