package org.malariastream.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.CellLabel;
import org.malariastream.classifier.testutil.SharedData;

/** The committed default model loads without training code and classifies real cells. */
class DefaultModelTest {

    /** Clear cases (from v3's test patients), confirmed by eye in the inspect grid. */
    private static final String[] CLEAR_PARASITIZED = {
        "C99P60ThinF_IMG_20150918_142128_cell_101.png",
        "C183P144NThinF_IMG_20151201_224458_cell_122.png",
        "C63P24N_ThinF_IMG_20150818_143757_cell_176.png",
        "C80P41ThinF_IMG_20150817_112557_cell_4.png",
        "C120P81ThinF_IMG_20151002_130407_cell_182.png",
    };
    private static final String[] CLEAR_UNINFECTED = {
        "C12NThinF_IMG_20150614_124212_cell_73.png",
        "C147P108ThinF_IMG_20151115_092605_cell_23.png",
        "C160P121ThinF_IMG_20151116_092925_cell_133.png",
        "C188P149ThinF_IMG_20151203_134209_cell_166.png",
        "C211ThinF_IMG_20151029_163959_cell_225.png",
    };

    private static Path modelDir() {
        return Locations.model(null);
    }

    @Test
    void committedModelFolderIsCompleteAndSmall() throws Exception {
        Path dir = modelDir();
        assertThat(dir.resolve("model.json")).isRegularFile();
        assertThat(dir.resolve("MODEL_CARD.md")).isRegularFile();
        long bytes;
        try (var s = Files.walk(dir)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(bytes).isLessThan(12L * 1024 * 1024);
        ModelSpec spec = ModelSpec.read(dir.resolve("model.json"));
        assertThat(spec.threshold()).isBetween(0.05, 0.95);
        assertThat(spec.inputSize()).isBetween(64, 224);
        assertThat(spec.colourReference()).as("v4 takes colours as decoded").isNull();
        assertThat(spec.keepAspect()).as("v4 stretches each crop; its model.json predates keep_aspect").isFalse();
    }

    @Test
    void classifiesClearCasesCorrectly() throws Exception {
        List<byte[]> images = new ArrayList<>();
        List<CellLabel> expected = new ArrayList<>();
        for (String f : CLEAR_PARASITIZED) {
            images.add(Files.readAllBytes(SharedData.images().resolve("Parasitized").resolve(f)));
            expected.add(CellLabel.PARASITIZED);
        }
        for (String f : CLEAR_UNINFECTED) {
            images.add(Files.readAllBytes(SharedData.images().resolve("Uninfected").resolve(f)));
            expected.add(CellLabel.UNINFECTED);
        }
        images.add("not an image".getBytes());
        try (CellModel model = CellModel.load(modelDir()); CellClassifier classifier = model.newClassifier()) {
            List<Prediction> out = classifier.predict(images);
            assertThat(out).hasSize(images.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(out.get(i).label()).as("image %d", i).isEqualTo(expected.get(i));
            }
            assertThat(out.get(out.size() - 1).ok()).isFalse();
        }
    }

    /**
     * The committed model was fitted on every cell of {@code ../shared} (its accuracy comes from cross-validation of
     * its recipe and from patients outside {@code ../shared}), so what can be checked here is that the artefact is
     * that fit: it says so, and it classifies an even sample of those cells far better than an untrained head would.
     */
    @Test
    void isTheFitOfEveryCellInShared() throws Exception {
        JsonNode json = ModelSpec.JSON.readTree(modelDir().resolve("model.json").toFile());
        List<CellFile> all = CellDataset.scan(SharedData.images()).files();
        assertThat(json.get("training_data").get("train_cells").asInt()).isEqualTo(all.size());
        assertThat(json.get("training_data").get("test_patients")).isEmpty();
        List<CellFile> sample = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            sample.add(all.get((int) ((long) i * all.size() / 240)));
        }
        List<byte[]> bytes = new ArrayList<>();
        for (CellFile f : sample) {
            bytes.add(Files.readAllBytes(f.path()));
        }
        try (CellModel model = CellModel.load(modelDir()); CellClassifier classifier = model.newClassifier()) {
            List<Prediction> out = classifier.predict(bytes);
            long correct = 0;
            for (int i = 0; i < sample.size(); i++) {
                if (out.get(i).label() == sample.get(i).label()) {
                    correct++;
                }
            }
            assertThat(correct / (double) sample.size()).isGreaterThan(0.95);
        }
    }
}
