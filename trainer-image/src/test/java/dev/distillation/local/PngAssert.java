package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

public final class PngAssert {
    private PngAssert() {}

    /** The file decodes as an image of the given size that is not one flat colour. */
    public static void isImage(Path png, int width, int height) throws IOException {
        BufferedImage image = isImage(png);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }

    /** The file decodes as an image that is not one flat colour. */
    public static BufferedImage isImage(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s decodes as an image", png).isNotNull();
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < image.getHeight() && !varied; y += 7) {
            for (int x = 0; x < image.getWidth() && !varied; x += 7) {
                varied = image.getRGB(x, y) != first;
            }
        }
        assertThat(varied).as("the plot has something drawn on it").isTrue();
        return image;
    }
}
