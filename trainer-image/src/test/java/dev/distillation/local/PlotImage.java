package dev.distillation.local;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * What a chart PNG shows, read from its pixels alone: the boxes drawn in it (rectangles whose four
 * sides are straight lines of one colour: the plot area, a legend) and the lines of text in a box.
 */
final class PlotImage {

    /** A box's border lines, inclusive. */
    record Box(int left, int top, int right, int bottom) {
        int width() {
            return right - left;
        }

        int height() {
            return bottom - top;
        }

        long area() {
            return (long) width() * height();
        }

        boolean contains(Box other) {
            return left < other.left && right > other.right && top < other.top && bottom > other.bottom;
        }
    }

    private record Run(int at, int from, int to, int rgb) {}

    /** Shorter straight runs than this are not box sides (ticks, legend samples, dashes). */
    private static final int MIN_SIDE = 40;
    /** Antialiasing may leave a corner pixel out or offset a side by a pixel or two. */
    private static final int SLACK = 2;
    private static final int WHITE = 0xffffff;

    final BufferedImage image;

    PlotImage(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        this.image = ImageIO.read(png.toFile());
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    private int rgb(int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    /** Every box drawn in the image, largest first. */
    List<Box> boxes() {
        List<Run> vertical = runs(true);
        List<Run> horizontal = runs(false);
        List<Box> boxes = new ArrayList<>();
        for (Run l : vertical) {
            for (Run r : vertical) {
                if (r.at() > l.at() + MIN_SIDE && r.rgb() == l.rgb() && near(l.from(), r.from()) && near(l.to(), r.to())
                        && side(horizontal, l.from() - 1, l, r) && side(horizontal, l.to() + 1, l, r)) {
                    boxes.add(new Box(l.at(), l.from() - 1, r.at(), l.to() + 1));
                }
            }
        }
        boxes.sort((a, b) -> Long.compare(b.area(), a.area()));
        return boxes;
    }

    /** Straight runs of one colour other than white, down every column or along every row. */
    private List<Run> runs(boolean vertical) {
        int lines = vertical ? width() : height();
        int length = vertical ? height() : width();
        List<Run> runs = new ArrayList<>();
        for (int at = 0; at < lines; at++) {
            for (int i = 0; i < length; ) {
                int c = pixel(vertical, at, i);
                int start = i;
                while (i < length && pixel(vertical, at, i) == c) {
                    i++;
                }
                if (c != WHITE && i - start >= MIN_SIDE) {
                    runs.add(new Run(at, start, i - 1, c));
                }
            }
        }
        return runs;
    }

    private int pixel(boolean vertical, int line, int i) {
        return vertical ? rgb(line, i) : rgb(i, line);
    }

    private static boolean near(int a, int b) {
        return Math.abs(a - b) <= SLACK;
    }

    /** Whether a line of the sides' colour runs near row {@code y} from side {@code l} to side {@code r}. */
    private static boolean side(List<Run> horizontal, int y, Run l, Run r) {
        return horizontal.stream().anyMatch(h -> h.rgb() == l.rgb() && near(h.at(), y)
                && h.from() <= l.at() + SLACK && h.to() >= r.at() - SLACK);
    }

    /** Lines of dark text in the right half of {@code box} (a legend's labels): bands of rows holding dark pixels. */
    int textLines(Box box) {
        int lines = 0;
        boolean inLine = false;
        for (int y = box.top() + SLACK; y <= box.bottom() - SLACK; y++) {
            boolean dark = false;
            for (int x = box.left() + box.width() / 2; x < box.right() - SLACK && !dark; x++) {
                int c = rgb(x, y);
                dark = (c >> 16 & 0xff) < 0x60 && (c >> 8 & 0xff) < 0x60 && (c & 0xff) < 0x60;
            }
            if (dark && !inLine) {
                lines++;
            }
            inLine = dark;
        }
        return lines;
    }
}
