package dev.distillation.trainer.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An image folder: {@code train/} and {@code test/}, each holding one subfolder per class (the
 * same class names in both, sorted by name to give label numbers) with PNG, JPEG, BMP or GIF images.
 * Every image must have the size of the first one. When the first training image is grayscale the
 * dataset has one channel (colour images are converted to luminance), else three (RGB; alpha is dropped).
 */
public final class ImageFolderReader {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolderReader() {}

    public static Dataset read(Path root, String name) throws DatasetException {
        if (!Files.isDirectory(root)) {
            throw new DatasetException("dataset folder " + root + " does not exist");
        }
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        for (Path p : List.of(trainDir, testDir)) {
            if (!Files.isDirectory(p)) {
                throw new DatasetException("dataset folder " + p + " does not exist; an image-folder dataset needs train/ and test/, "
                        + "each with one subfolder of images per class");
            }
        }
        List<String> classes = classFolders(trainDir);
        if (classes.size() < 2) {
            throw new DatasetException("dataset folder " + trainDir + " has " + classes.size()
                    + " class subfolder(s); expected at least 2");
        }
        List<String> testClasses = classFolders(testDir);
        if (!testClasses.equals(classes)) {
            throw new DatasetException("dataset folder " + testDir + " has classes " + testClasses + " but " + trainDir
                    + " has " + classes + "; expected the same class subfolders");
        }
        int[] geometry = new int[3]; // channels, height, width; set by the first image
        ImageSet train = readSplit(trainDir, classes, geometry);
        ImageSet test = readSplit(testDir, classes, geometry);
        return new Dataset(name, "image-folder", train, test, classes.size(), Normalization.of(train), classes);
    }

    private static List<String> classFolders(Path dir) throws DatasetException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list dataset folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The images in {@code dir}'s class subfolders, each labelled with its folder's index in
     * {@code classes} (a network's class names); a class may have no folder, a folder must name a class.
     */
    public static ImageSet readLabelled(Path dir, List<String> classes) throws DatasetException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("image folder " + dir + " does not exist");
        }
        List<String> unknown = classFolders(dir).stream().filter(c -> !classes.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new DatasetException("image folder " + dir + " has subfolders " + unknown + " that name no class of the network; "
                    + "expected one subfolder per class, named as in " + classes);
        }
        return readSplit(dir, classes, new int[3]);
    }

    private static ImageSet readSplit(Path dir, List<String> classes, int[] geometry) throws DatasetException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = dir.resolve(classes.get(label));
            if (!Files.isDirectory(classDir)) {
                continue; // a split without images of this class (predicting on some classes only)
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(classDir)) {
                files = s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            } catch (IOException e) {
                throw new DatasetException("cannot list dataset folder " + classDir + ": " + e.getMessage(), e);
            }
            for (Path file : files) {
                BufferedImage img;
                try {
                    img = ImageIO.read(file.toFile());
                } catch (IOException e) {
                    throw new DatasetException("dataset image " + file + " cannot be decoded: " + e.getMessage(), e);
                }
                if (img == null) {
                    throw new DatasetException("dataset image " + file + " is not a readable PNG, JPEG, BMP or GIF image");
                }
                if (geometry[0] == 0) {
                    geometry[0] = img.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
                    geometry[1] = img.getHeight();
                    geometry[2] = img.getWidth();
                }
                if (img.getHeight() != geometry[1] || img.getWidth() != geometry[2]) {
                    throw new DatasetException("dataset image " + file + " is " + img.getWidth() + "×" + img.getHeight()
                            + "; expected " + geometry[2] + "×" + geometry[1] + " like the first image");
                }
                pixels.writeBytes(toChannels(img, geometry[0]));
                labels.add(label);
            }
        }
        if (labels.isEmpty()) {
            throw new DatasetException("dataset folder " + dir + " holds no images (png, jpg, jpeg, bmp, gif)");
        }
        return new ImageSet(geometry[0], geometry[1], geometry[2], pixels.toByteArray(),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Channel-major bytes of {@code img}: luminance for 1 channel, R, G, B planes for 3. */
    static byte[] toChannels(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        byte[] out = new byte[channels * plane];
        boolean gray = img.getColorModel().getNumColorComponents() == 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (gray && channels == 1) {
                    out[i] = (byte) img.getRaster().getSample(x, y, 0);
                    continue;
                }
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (channels == 1) {
                    out[i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    out[i] = (byte) r;
                    out[plane + i] = (byte) g;
                    out[2 * plane + i] = (byte) b;
                }
            }
        }
        return out;
    }
}
