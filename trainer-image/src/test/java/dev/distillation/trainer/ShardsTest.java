package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShardsTest {

    @Test
    void aBatchIsCutIntoOneShardPerDeviceLargerOnesFirst() {
        assertThat(Shards.sizes(128, 2)).containsExactly(64, 64);
        assertThat(Shards.sizes(7, 3)).containsExactly(3, 2, 2);
        assertThat(Shards.sizes(10, 4)).containsExactly(3, 3, 2, 2);
        assertThat(Shards.sizes(4, 2)).containsExactly(2, 2);
    }

    @Test
    void oneDeviceGetsTheWholeBatch() {
        assertThat(Shards.sizes(1, 1)).containsExactly(1);
        assertThat(Shards.sizes(500, 1)).containsExactly(500);
    }

    @Test
    void noShardIsLeftWithFewerThanTwoImages() {
        // 5 over 3 would be 2, 2, 1: the third device sits this batch out
        assertThat(Shards.sizes(5, 3)).containsExactly(3, 2);
        assertThat(Shards.sizes(3, 2)).containsExactly(3);
        assertThat(Shards.sizes(2, 8)).containsExactly(2);
        assertThat(Shards.sizes(1, 4)).containsExactly(1);
        assertThat(Shards.sizes(9, 8)).containsExactly(3, 2, 2, 2);
    }

    @Test
    void shardsCoverTheBatchAndDifferByAtMostOne() {
        for (int batch = 1; batch <= 40; batch++) {
            for (int devices = 1; devices <= 9; devices++) {
                int[] sizes = Shards.sizes(batch, devices);
                assertThat(Arrays.stream(sizes).sum()).as("%d over %d", batch, devices).isEqualTo(batch);
                // as many shards as devices, unless one more would leave a shard with a single image
                assertThat(sizes.length == devices || batch < 2 * (sizes.length + 1)).as("%d over %d", batch, devices).isTrue();
                int min = Arrays.stream(sizes).min().orElseThrow();
                assertThat(Arrays.stream(sizes).max().orElseThrow() - min).isLessThanOrEqualTo(1);
                assertThat(min >= 2 || sizes.length == 1).as("%d over %d: %s", batch, devices, Arrays.toString(sizes)).isTrue();
            }
        }
    }

    @Test
    void anEmptyBatchOrNoDeviceIsRejected() {
        assertThatThrownBy(() -> Shards.sizes(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shards.sizes(4, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
