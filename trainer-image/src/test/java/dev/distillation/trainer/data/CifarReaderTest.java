package dev.distillation.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.v1alpha1.DatasetFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path root;

    /** Records of labelBytes label bytes then 3072 pixels; pixel p of record r = (r + p / 1024) (the channel index shifted by r). */
    static byte[] records(int n, int labelBytes, int firstLabel) {
        int rec = labelBytes + 3072;
        byte[] b = new byte[n * rec];
        for (int r = 0; r < n; r++) {
            for (int l = 0; l < labelBytes; l++) {
                b[r * rec + l] = (byte) (l == labelBytes - 1 ? firstLabel + r : 7); // coarse label 7 for CIFAR-100
            }
            for (int p = 0; p < 3072; p++) {
                b[r * rec + labelBytes + p] = (byte) (r * 10 + p / 1024);
            }
        }
        return b;
    }

    @Test
    void readsCifar10BatchesInChannelMajorOrder() throws Exception {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), records(2, 1, i));
        }
        Files.write(dir.resolve("test_batch.bin"), records(3, 1, 0));
        Dataset d = Datasets.read(DatasetFormat.CIFAR10, root, "c10"); // the parent folder works too
        assertThat(d.classes()).isEqualTo(10);
        assertThat(d.train().size()).isEqualTo(10);
        assertThat(d.test().size()).isEqualTo(3);
        assertThat(d.inputShape()).containsExactly(3, 32, 32);
        assertThat(d.train().labels()).containsExactly(1, 2, 2, 3, 3, 4, 4, 5, 5, 6);
        ImageSet test = d.test();
        // record 2, green plane (channel 1), any pixel: 2*10 + 1
        assertThat(test.pixels()[2 * 3072 + 1024 + 500]).isEqualTo((byte) 21);
        assertThat(Datasets.read(DatasetFormat.CIFAR10, dir, "c10").train().size()).isEqualTo(10);
    }

    @Test
    void readsCifar100FineLabels() throws Exception {
        Path dir = Files.createDirectories(root.resolve("cifar-100-binary"));
        Files.write(dir.resolve("train.bin"), records(4, 2, 95));
        Files.write(dir.resolve("test.bin"), records(1, 2, 42));
        Dataset d = Datasets.read(DatasetFormat.CIFAR100, dir, "c100");
        assertThat(d.classes()).isEqualTo(100);
        assertThat(d.train().labels()).containsExactly(95, 96, 97, 98);
        assertThat(d.test().labels()).containsExactly(42);
        assertThat(d.train().pixels()[3 * 3072 + 2048]).isEqualTo((byte) 32);
    }

    @Test
    void wrongRecordSizeOrLabelIsRejectedWithFileName() throws Exception {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), records(1, 1, 0));
        }
        Files.write(dir.resolve("test_batch.bin"), new byte[3073 * 2 + 5]);
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.CIFAR10, dir, "c10"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("test_batch.bin").hasMessageContaining("3073-byte records");
        // CIFAR-100 files read as CIFAR-10 (wrong format): labels out of range
        Files.write(dir.resolve("test_batch.bin"), records(1, 1, 55));
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.CIFAR10, dir, "c10"))
                .hasMessageContaining("test_batch.bin").hasMessageContaining("label 55");
    }

    @Test
    void missingFolderIsNamed() {
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.CIFAR100, root, "c100"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train.bin").hasMessageContaining("cifar-100-binary");
    }
}
