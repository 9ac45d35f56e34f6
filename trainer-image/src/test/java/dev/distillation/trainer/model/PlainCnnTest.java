package dev.distillation.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.distillation.trainer.Engines;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlainCnnTest {

    @BeforeAll
    static void engine() throws Exception {
        Engines.pytorch(2);
    }

    /**
     * The built network pools before its ReLU where a pool follows a convolution; the paper's order is
     * ReLU then pool. Both must give the same outputs and the same gradients in training mode.
     */
    @ParameterizedTest
    @CsvSource({"2, 0.25, 1, 28", "4, 1.0, 1, 28", "10, 0.5, 3, 32"})
    void poolingBeforeTheReluGivesTheOutputsAndGradientsOfTheTextbookOrder(int depth, double width, int channels, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] input = {channels, size, size};
            Block built = PlainCnn.build(depth, width, 10);
            Block textbook = textbook(depth, width, 10);
            Models.initialize(built, m, input, 7);
            Models.initialize(textbook, m, input, 7);
            NDArray x = m.randomNormal(new Shape(16, channels, size, size));

            NDArray a = lossAndGradients(built, m, x);
            NDArray b = lossAndGradients(textbook, m, x);

            assertThat(a.getFloat()).isEqualTo(b.getFloat());
            ParameterList pa = built.getParameters();
            ParameterList pb = textbook.getParameters();
            assertThat(pa).hasSameSizeAs(pb);
            for (int i = 0; i < pa.size(); i++) {
                NDArray wa = pa.get(i).getValue().getArray();
                NDArray wb = pb.get(i).getValue().getArray();
                assertThat(wa.toFloatArray()).as("initial %s", pa.get(i).getKey()).containsExactly(wb.toFloatArray());
                if (pa.get(i).getValue().requiresGradient()) {
                    float[] ga = wa.getGradient().toFloatArray();
                    float[] gb = wb.getGradient().toFloatArray();
                    assertThat(ga).as("gradient of %s", pa.get(i).getKey()).containsExactly(gb);
                }
            }
        }
    }

    /** A loss that depends on every logit differently, its value; gradients are left on the parameters. */
    private static NDArray lossAndGradients(Block block, NDManager m, NDArray x) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            NDArray weights = m.arange((float) logits.size()).reshape(logits.getShape()).mul(0.01f).sin();
            NDArray loss = logits.mul(weights).sum();
            collector.backward(loss);
            return loss;
        }
    }

    /** The paper's layer order (each convolution: conv, BatchNorm, ReLU; then the pool). */
    private static Block textbook(int depth, double width, int classes) {
        List<String> plan = PlainCnn.plan(depth, classes);
        SequentialBlock net = new SequentialBlock();
        boolean flattened = false;
        for (int i = 0; i < plan.size(); i++) {
            String layer = plan.get(i);
            if (layer.equals("P")) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true));
            } else if (layer.startsWith("C")) {
                net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(Models.scale(Integer.parseInt(layer.substring(1)), width)).build());
                net.add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
                net.add(Activation.reluBlock());
            } else {
                if (!flattened) {
                    net.add(Blocks.batchFlattenBlock());
                    flattened = true;
                }
                boolean last = i == plan.size() - 1;
                net.add(Linear.builder().setUnits(last ? classes : Integer.parseInt(layer.substring(2))).build());
                if (!last) {
                    net.add(Activation.reluBlock());
                }
            }
        }
        return net;
    }
}
