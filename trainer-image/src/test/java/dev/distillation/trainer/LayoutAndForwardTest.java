package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.data.ImageSet;
import dev.distillation.trainer.data.Normalization;
import dev.distillation.trainer.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The channels-last batch layout and the releasing forward pass are speed and memory measures:
 * they must not change what the network computes. Checked on random images and weights, against
 * DJL's own {@code block.forward} on the plain (NCHW) layout.
 */
class LayoutAndForwardTest {

    @BeforeAll
    static void engine() throws Exception {
        Engines.pytorch(2);
    }

    static ImageSet randomImages(int n, int channels, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * channels * size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        return new ImageSet(channels, size, size, px, labels);
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @ParameterizedTest(name = "{0}-{1} on {2} channel(s) of {3}x{3}")
    @CsvSource({"plain-cnn, 4, 1, 28", "plain-cnn, 10, 3, 32", "resnet, 8, 3, 32"})
    void channelsLastComputesTheSameLogitsAndGradients(String arch, int depth, int channels, int size) {
        ImageSet set = randomImages(16, channels, size, 7);
        Normalization norm = Normalization.of(set);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Block block = Models.build(Architecture.fromValue(arch), depth, 0.5, 10);
            Models.initialize(block, m, new long[] {channels, size, size}, 3);
            ParameterStore store = new ParameterStore(m, false);
            int[] order = identity(set.size());

            // inference (BatchNorm on its running statistics)
            float[] plain = Evaluator.logitsOf(block, new Batches(set, norm, 10, false), set.size(), 10, Device.cpu());
            float[] last = Evaluator.logitsOf(block, new Batches(set, norm, 10, true), set.size(), 10, Device.cpu());
            float[] reference;
            try (NDManager step = m.newSubManager()) {
                NDArray x = new Batches(set, norm, 10, false).images(step, order, 0, set.size(), null);
                reference = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            }
            assertClose(plain, reference, 0, "releasing forward, NCHW");
            assertClose(last, reference, 0, "releasing forward, channels-last");

            // one training step's gradients (BatchNorm on batch statistics)
            List<float[]> g1 = gradients(block, store, m, new Batches(set, norm, 10, false), set, false);
            List<float[]> g2 = gradients(block, store, m, new Batches(set, norm, 10, true), set, true);
            List<float[]> g0 = gradients(block, store, m, new Batches(set, norm, 10, false), set, null);
            assertThat(g1).hasSize(g0.size());
            double largest = 0;
            for (float[] g : g0) {
                largest = Math.max(largest, maxAbs(g));
            }
            int compared = 0;
            for (int i = 0; i < g0.size(); i++) {
                if (maxAbs(g0.get(i)) < 1e-4 * largest) {
                    // a convolution's bias ahead of BatchNorm: zero but for rounding (BatchNorm removes the mean)
                    assertThat(maxAbs(g1.get(i))).as("gradient %d, NCHW", i).isLessThan(1e-4 * largest);
                    assertThat(maxAbs(g2.get(i))).as("gradient %d, channels-last", i).isLessThan(1e-4 * largest);
                    continue;
                }
                assertClose(g1.get(i), g0.get(i), 0, "gradient " + i + ", releasing forward, NCHW");
                assertClose(g2.get(i), g0.get(i), 0, "gradient " + i + ", releasing forward, channels-last");
                compared++;
            }
            assertThat(compared).as("gradients compared").isGreaterThan(g0.size() / 2);
        }
    }

    /** Parameter gradients of a cross-entropy step; {@code releasing} null = DJL's block.forward. */
    private static List<float[]> gradients(Block block, ParameterStore store, NDManager m, Batches batches, ImageSet set,
                                           Boolean releasing) {
        List<float[]> out = new ArrayList<>();
        int n = set.size();
        try (NDManager step = m.newSubManager()) {
            NDArray x = batches.images(step, identity(n), 0, n, null);
            NDArray y = batches.oneHot(step, identity(n), 0, n);
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = releasing == null
                        ? block.forward(store, new NDList(x), true).singletonOrThrow()
                        : Forward.run(block, store, x, true);
                c.backward(KdLoss.crossEntropy(logits, y));
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    out.add(g.toFloatArray());
                    g.subi(g); // zero it for the next run
                    g.close();
                }
            }
        }
        return out;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Equal to 1e-4 of the larger of the expected values' scale and {@code floor}. */
    private static void assertClose(float[] actual, float[] expected, double floor, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double tolerance = 1e-4 * Math.max(maxAbs(expected), floor);
        assertThat(tolerance).as("%s: a scale to compare on", what).isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) Math.abs(actual[i] - expected[i])).as("%s [%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"plain-cnn, 10", "resnet, 14"})
    void forwardLeavesOnlyItsOutputBehind(String arch, int depth) {
        ImageSet set = randomImages(8, 3, 32, 11);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Block block = Models.build(Architecture.fromValue(arch), depth, 0.25, 10);
            Models.initialize(block, m, new long[] {3, 32, 32}, 1);
            ParameterStore store = new ParameterStore(m, false);
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager step = m.newSubManager();
                     GradientCollector c = training ? Engine.getEngine("PyTorch").newGradientCollector() : null) {
                    NDArray x = new Batches(set, Normalization.of(set), 10, true).images(step, identity(8), 0, 8, null);
                    int before = step.getManagedArrays().size();
                    NDArray y = Forward.run(block, store, x, training);
                    // the input (and its NHWC base) plus the logits; DJL's block.forward leaves every activation
                    assertThat(step.getManagedArrays()).as("training=%s", training).hasSize(before + 1).anyMatch(a -> a == y);
                    try (NDManager other = m.newSubManager()) {
                        NDArray x2 = new Batches(set, Normalization.of(set), 10, true).images(other, identity(8), 0, 8, null);
                        int b2 = other.getManagedArrays().size();
                        block.forward(store, new NDList(x2), training);
                        assertThat(other.getManagedArrays().size()).as("DJL's forward keeps its intermediates").isGreaterThan(b2 + 10);
                    }
                    if (training) {
                        c.backward(y.sum());
                    }
                }
            }
        }
    }

    @Test
    void channelsLastOnlyOnTheCpuAndForNetworksWideEnough() {
        assertThat(MemoryLayout.channelsLast(Device.cpu(), 16)).isTrue();
        assertThat(MemoryLayout.channelsLast(Device.cpu(), MemoryLayout.CHANNELS_LAST_MIN_FILTERS)).isTrue();
        assertThat(MemoryLayout.channelsLast(Device.cpu(), MemoryLayout.CHANNELS_LAST_MIN_FILTERS - 1)).isFalse();
        assertThat(MemoryLayout.channelsLast(Device.gpu(), 64)).isFalse();
    }
}
