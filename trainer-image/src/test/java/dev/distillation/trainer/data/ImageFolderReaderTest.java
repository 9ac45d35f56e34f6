package dev.distillation.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.v1alpha1.DatasetFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path root;

    private void png(String split, String cls, String name, int w, int h, int rgb, int type) throws Exception {
        Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }

    @Test
    void rgbImagesGiveThreeChannelsAndSortedClasses() throws Exception {
        png("train", "zebra", "a.png", 4, 3, 0x102030, BufferedImage.TYPE_INT_RGB);
        png("train", "ant", "a.png", 4, 3, 0x405060, BufferedImage.TYPE_INT_RGB);
        png("train", "ant", "b.png", 4, 3, 0x708090, BufferedImage.TYPE_INT_RGB);
        png("test", "ant", "c.png", 4, 3, 0x000000, BufferedImage.TYPE_INT_RGB);
        png("test", "zebra", "d.png", 4, 3, 0xffffff, BufferedImage.TYPE_INT_RGB);
        Dataset d = Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "pets");
        assertThat(d.classNames()).containsExactly("ant", "zebra");
        assertThat(d.classes()).isEqualTo(2);
        assertThat(d.inputShape()).containsExactly(3, 3, 4);
        assertThat(d.train().labels()).containsExactly(0, 0, 1);
        byte[] px = d.train().pixels();
        int plane = 12;
        // image 0 is ant/a.png (0x40, 0x50, 0x60): red plane then green then blue
        assertThat(px[0]).isEqualTo((byte) 0x40);
        assertThat(px[plane]).isEqualTo((byte) 0x50);
        assertThat(px[2 * plane + 11]).isEqualTo((byte) 0x60);
        assertThat(px[2 * 3 * plane]).isEqualTo((byte) 0x10); // zebra/a.png red
        assertThat(d.test().labels()).containsExactly(0, 1);
    }

    @Test
    void grayscaleImagesGiveOneChannel() throws Exception {
        png("train", "0", "a.png", 5, 5, 0x808080, BufferedImage.TYPE_BYTE_GRAY);
        png("train", "1", "a.png", 5, 5, 0xffffff, BufferedImage.TYPE_BYTE_GRAY);
        png("test", "0", "a.png", 5, 5, 0x000000, BufferedImage.TYPE_BYTE_GRAY);
        png("test", "1", "a.png", 5, 5, 0xffffff, BufferedImage.TYPE_BYTE_GRAY);
        Dataset d = Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "digits");
        assertThat(d.inputShape()).containsExactly(1, 5, 5);
        assertThat(d.train().pixels()[25] & 0xff).isEqualTo(255);
    }

    @Test
    void sizeMismatchCorruptImageAndClassMismatchAreNamed() throws Exception {
        png("train", "a", "1.png", 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        png("train", "b", "2.png", 5, 4, 0, BufferedImage.TYPE_INT_RGB);
        png("test", "a", "3.png", 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        png("test", "b", "4.png", 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("2.png").hasMessageContaining("5×4");
        png("train", "b", "2.png", 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        Files.writeString(root.resolve("test/b/4.png"), "not a png");
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
                .hasMessageContaining("4.png");
        Files.delete(root.resolve("test/b/4.png"));
        Files.delete(root.resolve("test/b"));
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
                .hasMessageContaining("[a]").hasMessageContaining("[a, b]");
    }

    @Test
    void missingSplitFolderIsNamed() throws Exception {
        png("train", "a", "1.png", 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> Datasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
                .hasMessageContaining(root.resolve("test").toString()).hasMessageContaining("does not exist");
    }
}
