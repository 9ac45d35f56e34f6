package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.distillation.api.v1alpha1.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ParameterUpdater#clipGradients} against the definition (PyTorch's clip_grad_norm_): the norm
 * is the L2 norm of all gradients together, computed here in double from the gradients' values, and
 * gradients above the limit are all scaled by the same factor.
 */
class GradientClippingTest {

    @BeforeAll
    static void engine() throws TrainerException {
        Engines.pytorch(1);
    }

    @Test
    void gradientsAboveTheLimitAreScaledTogetherToIt() {
        try (Model model = twoLayers()) {
            ParameterUpdater updater = backward(model, 3f);
            List<float[]> before = gradients(model);
            double norm = l2(before);
            assertThat(updater.clipGradients(norm / 4)).isCloseTo(norm, within(norm * 1e-5));
            List<float[]> after = gradients(model);
            assertThat(l2(after)).isCloseTo(norm / 4, within(norm * 1e-5));
            for (int i = 0; i < before.size(); i++) {
                for (int j = 0; j < before.get(i).length; j++) {
                    assertThat((double) after.get(i)[j]).isCloseTo(before.get(i)[j] / 4.0, within(1e-6 + Math.abs(before.get(i)[j]) * 1e-5));
                }
            }
        }
    }

    @Test
    void gradientsWithinTheLimitAndAZeroLimitLeaveEverythingAsItWas() {
        try (Model model = twoLayers()) {
            ParameterUpdater updater = backward(model, 3f);
            List<float[]> before = gradients(model);
            double norm = l2(before);
            assertThat(updater.clipGradients(norm * 2)).isCloseTo(norm, within(norm * 1e-5));
            assertThat(updater.clipGradients(0)).isNaN();
            List<float[]> after = gradients(model);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).containsExactly(before.get(i));
            }
        }
    }

    private static Model twoLayers() {
        Model model = Model.newInstance("clip", ai.djl.Device.cpu(), "PyTorch");
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Linear.builder().setUnits(3).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(4, 5));
        return model;
    }

    /** Gradients of sum(scale · f(x)²) for a fixed input, so they are far from zero. */
    private static ParameterUpdater backward(Model model, float scale) {
        NDManager manager = model.getNDManager();
        ParameterUpdater updater = new ParameterUpdater(model.getBlock(), manager, Optimizer.SGD, 0.9, 0);
        updater.attachGradients();
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.arange(20f).reshape(4, 5).div(step.full(new Shape(), 10f));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = model.getBlock().forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.square().sum().mul(step.full(new Shape(), scale)));
            }
        }
        return updater;
    }

    private static List<float[]> gradients(Model model) {
        List<float[]> all = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            try (NDArray g = p.getValue().getArray().getGradient()) {
                all.add(g.toFloatArray());
            }
        }
        return all;
    }

    private static double l2(List<float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients) {
            for (float v : g) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }
}
