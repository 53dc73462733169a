package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.model.train.CvPredictions.Row;
import org.malariastream.classifier.model.train.LabelReview.Suspect;

class LabelReviewTest {

    /** Ten uninfected cells called parasitized, P 0.55, 0.59, ..., 0.91: the last the most confident. */
    private static List<Suspect> tenContradicted() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new Row("C1P1ThinF_IMG_0_cell_" + i + ".png", "Uninfected", "C1", "IMG_0", 1,
                    new float[] {0.55f + 0.04f * i}));
        }
        LabelReview.Result r = LabelReview.review(rows, 1);
        assertThat(r.uninfectedCalledParasitized()).hasSize(10);
        return r.uninfectedCalledParasitized();
    }

    private static List<String> files(List<Suspect> suspects) {
        return suspects.stream().map(s -> s.row().file()).toList();
    }

    @Test
    void aRandomDrawIsSomeOfTheSuspectsMostConfidentFirstAndTheSameForTheSameSeed() {
        List<Suspect> all = tenContradicted();
        List<Suspect> drawn = LabelReview.randomDraw(all, 4, 7);
        assertThat(drawn).hasSize(4).isSubsetOf(all).doesNotHaveDuplicates();
        assertThat(drawn).extracting(Suspect::disagreement).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(files(LabelReview.randomDraw(all, 4, 7))).isEqualTo(files(drawn));
        List<Suspect> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        assertThat(files(LabelReview.randomDraw(reversed, 4, 7))).as("not the input order").isEqualTo(files(drawn));
        // not the four most confident, for some seed: a draw, not the top
        assertThat(java.util.stream.LongStream.range(0, 5)
                .mapToObj(seed -> files(LabelReview.randomDraw(all, 4, seed))).distinct().count()).isGreaterThan(1);
        assertThat(files(drawn)).isNotEqualTo(files(all.subList(0, 4)));
    }

    @Test
    void aDrawOfMoreThanThereAreIsAllOfThemMostConfidentFirst() {
        List<Suspect> all = tenContradicted();
        assertThat(files(LabelReview.randomDraw(all, 25, 3))).isEqualTo(files(all));
        assertThat(LabelReview.randomDraw(List.of(), 5, 3)).isEmpty();
    }
}
