package org.malariastream.classifier.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.testutil.SharedData;

class PatientSplitTest {

    /** 60 synthetic patients: 40 infected (70 uninfected + 1..400 parasitized cells), 20 healthy (70 uninfected). */
    private static List<CellFile> synthetic() {
        Random r = new Random(3);
        List<CellFile> files = new ArrayList<>();
        for (int p = 0; p < 60; p++) {
            boolean infected = p < 40;
            int parasitized = infected ? 1 + r.nextInt(400) : 0;
            for (int i = 0; i < 70 + parasitized; i++) {
                CellLabel label = i < parasitized ? CellLabel.PARASITIZED : CellLabel.UNINFECTED;
                files.add(new CellFile(Path.of("C" + p + "_" + i + ".png"), label, "C" + p, "IMG_" + p));
            }
        }
        return files;
    }

    private static Map<String, Integer> partOfEachPatient(List<List<CellFile>> parts) {
        Map<String, Integer> partOf = new HashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            for (CellFile f : parts.get(i)) {
                Integer previous = partOf.put(f.patient(), i);
                assertThat(previous == null || previous == i)
                        .as("patient %s is in parts %s and %s", f.patient(), previous, i).isTrue();
            }
        }
        return partOf;
    }

    @Test
    void noPatientIsInTwoPartsAndEveryCellIsPlaced() {
        List<CellFile> files = synthetic();
        PatientSplit.Split s = PatientSplit.trainValidationTest(files, 0.15, 0.15, 7);
        partOfEachPatient(List.of(s.train(), s.validation(), s.test()));
        assertThat(s.train().size() + s.validation().size() + s.test().size()).isEqualTo(files.size());
    }

    @Test
    void splitIsStratifiedAndNearTheRequestedShares() {
        List<CellFile> files = synthetic();
        PatientSplit.Split s = PatientSplit.trainValidationTest(files, 0.15, 0.15, 7);
        for (List<CellFile> part : List.of(s.validation(), s.test())) {
            double share = (double) part.size() / files.size();
            assertThat(share).isBetween(0.10, 0.20);
            Set<String> infected = new HashSet<>();
            Set<String> healthy = new HashSet<>();
            part.forEach(f -> (f.label().isParasitized() ? infected : healthy).add(f.patient()));
            healthy.removeAll(infected);
            assertThat(infected).as("infected patients in part").hasSizeGreaterThanOrEqualTo(3);
            assertThat(healthy).as("healthy patients in part").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<CellFile> files = synthetic();
        assertThat(PatientSplit.assignPatients(files, new double[] {0.7, 0.15, 0.15}, 7))
                .isEqualTo(PatientSplit.assignPatients(files, new double[] {0.7, 0.15, 0.15}, 7));
        assertThat(PatientSplit.assignPatients(files, new double[] {0.7, 0.15, 0.15}, 8))
                .isNotEqualTo(PatientSplit.assignPatients(files, new double[] {0.7, 0.15, 0.15}, 7));
    }

    @Test
    void aShareOfThePatientsKeepsWholePatientsBothKindsAndAboutTheShareOfCells() {
        List<CellFile> files = synthetic();
        List<CellFile> half = PatientSplit.share(files, 0.5, 7);
        assertThat((double) half.size() / files.size()).isBetween(0.45, 0.55);
        Map<String, Long> cellsOfPatient = new HashMap<>();
        files.forEach(f -> cellsOfPatient.merge(f.patient(), 1L, Long::sum));
        Map<String, Long> kept = new HashMap<>();
        half.forEach(f -> kept.merge(f.patient(), 1L, Long::sum));
        kept.forEach((patient, n) -> assertThat(n).as("all cells of %s", patient).isEqualTo(cellsOfPatient.get(patient)));
        assertThat(half).anyMatch(f -> f.label().isParasitized()).anyMatch(f -> !f.label().isParasitized());
        assertThat(kept.keySet()).as("healthy patients kept").anyMatch(p -> Integer.parseInt(p.substring(1)) >= 40);
        assertThat(PatientSplit.share(files, 0.5, 7)).isEqualTo(half);
        assertThat(PatientSplit.share(files, 1, 7)).isEqualTo(files);
    }

    @Test
    void kFoldTestsEveryPatientExactlyOnceAndNeverTrainsOnIt() {
        List<CellFile> files = synthetic();
        List<PatientSplit.Fold> folds = PatientSplit.kFold(files, 5, 11);
        Map<String, Integer> testedIn = new HashMap<>();
        for (PatientSplit.Fold fold : folds) {
            Set<String> testPatients = new HashSet<>();
            fold.test().forEach(f -> testPatients.add(f.patient()));
            fold.rest().forEach(f -> assertThat(testPatients).doesNotContain(f.patient()));
            testPatients.forEach(p -> assertThat(testedIn.put(p, fold.index())).isNull());
            assertThat(fold.rest().size() + fold.test().size()).isEqualTo(files.size());
            assertThat((double) fold.test().size() / files.size()).isBetween(0.12, 0.28);
        }
        assertThat(testedIn).hasSize(60);
    }

    @Test
    void realDatasetSplitKeepsPatientsApart() {
        CellDataset ds = CellDataset.scan(SharedData.images());
        assertThat(ds.files()).hasSizeGreaterThan(10_000);
        PatientSplit.Split s = PatientSplit.trainValidationTest(ds.files(), 0.15, 0.15, 7);
        Map<String, Integer> partOf = partOfEachPatient(List.of(s.train(), s.validation(), s.test()));
        assertThat(partOf.values()).contains(0, 1, 2);
        assertThat(ds.patientCounts()).hasSize(partOf.size());
    }
}
