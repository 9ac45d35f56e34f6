package dev.distillation.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.trainer.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private void write(String name, byte[] data, boolean gz) throws Exception {
        Files.write(dir.resolve(gz ? name + ".gz" : name), gz ? TestData.gzip(data) : data);
    }

    private void writeSet(boolean gz, int trainN, int testN) throws Exception {
        byte[] trainPx = new byte[trainN * 6];
        for (int i = 0; i < trainPx.length; i++) {
            trainPx[i] = (byte) (i * 7);
        }
        byte[] trainLab = new byte[trainN];
        for (int i = 0; i < trainN; i++) {
            trainLab[i] = (byte) (i % 3);
        }
        write("train-images-idx3-ubyte", TestData.idx(0x803, trainN, 2, 3, trainPx), gz);
        write("train-labels-idx1-ubyte", TestData.idx(0x801, trainN, 0, 0, trainLab), gz);
        write("t10k-images-idx3-ubyte", TestData.idx(0x803, testN, 2, 3, new byte[testN * 6]), gz);
        write("t10k-labels-idx1-ubyte", TestData.idx(0x801, testN, 0, 0, new byte[testN]), gz);
    }

    @Test
    void readsRawAndGzipFilesAlike() throws Exception {
        writeSet(false, 5, 2);
        Dataset raw = IdxReader.read(dir, "tiny");
        for (String f : Files.list(dir).map(p -> p.getFileName().toString()).toList()) {
            Files.delete(dir.resolve(f));
        }
        writeSet(true, 5, 2);
        Dataset gz = IdxReader.read(dir, "tiny");
        for (Dataset d : new Dataset[] {raw, gz}) {
            assertThat(d.train().size()).isEqualTo(5);
            assertThat(d.test().size()).isEqualTo(2);
            assertThat(d.inputShape()).containsExactly(1, 2, 3);
            assertThat(d.classes()).isEqualTo(3);
            assertThat(d.train().labels()).containsExactly(0, 1, 2, 0, 1);
            // pixel k of the file is (byte) 7k, in order: image 1, row 0, column 2 is byte 6 + 2 = 8
            assertThat(d.train().pixels()[8]).isEqualTo((byte) 56);
        }
        assertThat(raw.train().pixels()).isEqualTo(gz.train().pixels());
    }

    @Test
    void truncatedImageFileIsNamed() throws Exception {
        writeSet(false, 5, 2);
        byte[] full = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 4));
        assertThatThrownBy(() -> IdxReader.read(dir, "tiny"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte").hasMessageContaining("truncated");
    }

    @Test
    void wrongMagicAndMismatchedCountsAreNamed() throws Exception {
        writeSet(false, 5, 2);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idx(0x803, 2, 0, 0, new byte[2]));
        assertThatThrownBy(() -> IdxReader.read(dir, "tiny"))
                .hasMessageContaining("t10k-labels-idx1-ubyte").hasMessageContaining("0x00000801");
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idx(0x801, 3, 0, 0, new byte[3]));
        assertThatThrownBy(() -> IdxReader.read(dir, "tiny"))
                .hasMessageContaining("3 labels").hasMessageContaining("2 images");
    }

    @Test
    void brokenGzipAndMissingFilesAreNamed() throws Exception {
        writeSet(true, 5, 2);
        byte[] gz = Files.readAllBytes(dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(dir, "tiny"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-labels-idx1-ubyte.gz").hasMessageContaining("gzip");
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertThatThrownBy(() -> IdxReader.readSplit(dir, "t10k"))
                .hasMessageContaining("t10k-images-idx3-ubyte").hasMessageContaining("does not exist");
    }

    @Test
    void readsTheCommittedSample() throws Exception {
        Dataset d = IdxReader.read(TestData.sample(), "fashion-mnist-sample");
        assertThat(d.train().size()).isEqualTo(TestData.SAMPLE_TRAIN);
        assertThat(d.test().size()).isEqualTo(TestData.SAMPLE_TEST);
        assertThat(d.classes()).isEqualTo(10);
        assertThat(d.inputShape()).containsExactly(1, 28, 28);
        assertThat(java.util.Arrays.stream(d.train().labels()).distinct().count()).as("classes in the training split").isEqualTo(10);
        assertThat(java.util.Arrays.stream(d.test().labels()).distinct().count()).as("classes in the test split").isEqualTo(10);
    }

    @Test
    void readsTheRealFashionMnist() throws Exception {
        Dataset d = IdxReader.read(TestData.fashion(), "fashion-mnist");
        assertThat(d.train().size()).isEqualTo(60000);
        assertThat(d.test().size()).isEqualTo(10000);
        assertThat(d.classes()).isEqualTo(10);
        assertThat(d.inputShape()).containsExactly(1, 28, 28);
        int[] perClass = new int[10];
        for (int l : d.test().labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsOnly(1000);
        // Fashion-MNIST's well-known statistics: mean 0.2860, std 0.3530
        assertThat(d.normalization().mean()[0]).isCloseTo(0.2860, org.assertj.core.data.Offset.offset(5e-4));
        assertThat(d.normalization().std()[0]).isCloseTo(0.3530, org.assertj.core.data.Offset.offset(5e-4));
    }
}
