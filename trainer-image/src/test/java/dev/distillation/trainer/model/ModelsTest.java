package dev.distillation.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.Engines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsTest {

    @BeforeAll
    static void engine() throws Exception {
        Engines.pytorch(2);
    }

    static long[] MNIST = {1, 28, 28};
    static long[] CIFAR = {3, 32, 32};

    static long outputAndCount(Architecture a, int depth, long[] input, int classes) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = Models.build(a, depth, 1.0, classes);
            Models.initialize(b, m, input, 1);
            NDArray x = m.randomNormal(new Shape(2, input[0], input[1], input[2]));
            for (boolean training : new boolean[] {true, false}) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
                assertThat(y.getShape()).as(a + "-" + depth + " " + java.util.Arrays.toString(input)).isEqualTo(new Shape(2, classes));
                assertThat(y.isInfinite().any().getBoolean() || y.isNaN().any().getBoolean()).isFalse();
            }
            return Models.parameterCount(b);
        }
    }

    @ParameterizedTest
    @CsvSource({"plain-cnn, 2, 0.25, 10", "plain-cnn, 2, 1.0, 10", "plain-cnn, 10, 0.5, 10", "plain-cnn, 6, 0.5, 100",
            "plain-cnn, 8, 0.1, 10", "resnet, 8, 1.0, 10", "resnet, 20, 0.25, 100"})
    void narrowestConvolutionIsTheBuiltNetworksFewestFilters(String arch, int depth, double width, int classes) {
        Architecture a = Architecture.fromValue(arch);
        int built = fewestFilters(Models.build(a, depth, width, classes));
        assertThat(Models.narrowestConvolution(a, depth, width, classes)).isEqualTo(built);
    }

    private static int fewestFilters(Block block) {
        int fewest = block instanceof Convolution c ? c.getFilters() : Integer.MAX_VALUE;
        for (var child : block.getChildren()) {
            fewest = Math.min(fewest, fewestFilters(child.getValue()));
        }
        return fewest;
    }

    @Test
    void plainCnnShapesAndGrowth() {
        for (long[] input : new long[][] {MNIST, CIFAR}) {
            for (int classes : new int[] {10, 100}) {
                List<Long> counts = new ArrayList<>();
                for (int depth : Architecture.PLAIN_CNN.depths()) {
                    counts.add(outputAndCount(Architecture.PLAIN_CNN, depth, input, classes));
                }
                assertThat(counts).as("parameters by depth, %d classes", classes).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void resnetShapesAndGrowth() {
        for (long[] input : new long[][] {MNIST, CIFAR}) {
            long previous = 0;
            // every depth builds (the parameterised count test covers 20); growth checked on a spread
            for (int depth : input == MNIST ? new int[] {8, 14, 26} : new int[] {8, 32, 56, 110}) {
                long n = outputAndCount(Architecture.RESNET, depth, input, 10);
                assertThat(n).as("resnet-%d", depth).isGreaterThan(previous);
                previous = n;
            }
        }
    }

    /** Hand-counted from the channel plans; a wrong plan, pooling mode or shortcut changes them. */
    @ParameterizedTest(name = "{0}-{1} on {2}x{2}x{3}, {4} classes")
    @CsvSource({
            // conv 1→16 (160) + BN (32) + conv 16→16 (2320) + BN (32) + FC 16·7·7→10 (7850); ceil-mode pools 28→14→7
            "plain-cnn, 2, 28, 1, 10, 10394",
            // CIFAR: conv 3→16 (448) + 32 + 2320 + 32 + FC 16·8·8→10 (10250)
            "plain-cnn, 2, 32, 3, 10, 13082",
            // depth 10 on 28×28: four ceil-mode pools end on 2×2, so FC 256·2·2→128 = 131200
            "plain-cnn, 10, 28, 1, 10, 2487274",
            // He et al.'s ResNet-20 with parameter-free shortcuts: 0.27M
            "resnet, 20, 32, 3, 10, 269722",
    })
    void parameterCounts(String arch, int depth, int size, int channels, int classes, long expected) {
        assertThat(outputAndCount(Architecture.fromValue(arch), depth, new long[] {channels, size, size}, classes)).isEqualTo(expected);
    }

    @Test
    void widthMultipliesChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block half = Models.build(Architecture.RESNET, 8, 0.5, 10);
            Models.initialize(half, m, CIFAR, 1);
            NDArray y = half.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 3, 32, 32))), true).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 10));
            assertThat(Models.parameterCount(half)).isLessThan(outputAndCount(Architecture.RESNET, 8, CIFAR, 10) / 3);
        }
    }

    @Test
    void initialisationIsSeededAndPyTorchLike() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = Models.build(Architecture.PLAIN_CNN, 2, 1.0, 10);
            Block b = Models.build(Architecture.PLAIN_CNN, 2, 1.0, 10);
            Block c = Models.build(Architecture.PLAIN_CNN, 2, 1.0, 10);
            Models.initialize(a, m, MNIST, 7);
            Models.initialize(b, m, MNIST, 7);
            Models.initialize(c, m, MNIST, 8);
            NDArray wa = a.getParameters().get(0).getValue().getArray();
            assertThat(wa.getShape()).isEqualTo(new Shape(16, 1, 3, 3));
            assertThat(wa.toFloatArray()).isEqualTo(b.getParameters().get(0).getValue().getArray().toFloatArray());
            assertThat(wa.toFloatArray()).isNotEqualTo(c.getParameters().get(0).getValue().getArray().toFloatArray());
            // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in = 1·3·3 for the first conv
            float bound = (float) (1 / Math.sqrt(9));
            assertThat(wa.abs().max().getFloat()).isLessThanOrEqualTo(bound).isGreaterThan(0.8f * bound);
        }
    }
}
