package dev.distillation.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which training images a validation split holds out: a partition, the same for the same seed, another for another. */
class ValidationSplitterTest {

    @Test
    void theHeldOutAndTheRestPartitionTheTrainingSetEachAscending() throws DatasetException {
        ValidationSplitter.Split split = ValidationSplitter.split(1000, 100, 1, "d");

        assertThat(split.validation()).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(split.train()).hasSize(900).isSorted().doesNotHaveDuplicates();
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 1000).toArray());
    }

    @Test
    void theSameSeedHoldsOutTheSameImagesAnotherSeedOthers() throws DatasetException {
        int[] a = ValidationSplitter.split(60_000, 5000, 1, "d").validation();
        int[] again = ValidationSplitter.split(60_000, 5000, 1, "d").validation();
        int[] other = ValidationSplitter.split(60_000, 5000, 2, "d").validation();

        assertThat(again).isEqualTo(a);
        // two independent draws of 5000 of 60000 share about 5000²/60000 ≈ 417 images
        long shared = Arrays.stream(other).filter(i -> Arrays.binarySearch(a, i) >= 0).count();
        assertThat(shared).isBetween(300L, 550L);
    }

    @Test
    void theDrawIsSpreadOverTheWholeSetNotTakenFromOneEnd() throws DatasetException {
        int[] held = ValidationSplitter.split(60_000, 6000, 1, "d").validation();
        // each tenth of the set holds about a tenth of the draw (binomial sd ≈ 23)
        for (int tenth = 0; tenth < 10; tenth++) {
            int from = tenth * 6000;
            long inTenth = Arrays.stream(held).filter(i -> i >= from && i < from + 6000).count();
            assertThat(inTenth).as("tenth %d", tenth).isBetween(480L, 720L);
        }
    }

    @Test
    void atLeastTwoImagesAreLeftToTrainOn() throws DatasetException {
        assertThat(ValidationSplitter.split(10, 8, 1, "d").train()).hasSize(2);
        assertThatThrownBy(() -> ValidationSplitter.split(10, 9, 1, "sample"))
                .isInstanceOf(DatasetException.class)
                .hasMessage("validation.size 9 leaves 1 of the 10 training images of dataset sample to train on; at most 8 can be held out");
        assertThatThrownBy(() -> ValidationSplitter.split(10, 20, 1, "sample"))
                .hasMessageStartingWith("validation.size 20 leaves 0 of the 10");
    }
}
