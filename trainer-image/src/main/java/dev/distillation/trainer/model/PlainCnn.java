package dev.distillation.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Map;

/**
 * The plain CNNs of Mirzadeh et al. (2020), built from the channel plans of the paper's official
 * code: {@code Cn} = 3×3 convolution with n filters (padding 1, with bias) + BatchNorm + ReLU,
 * {@code P} = 2×2 max-pool with stride 2, {@code FCn} = fully connected layer with n units (ReLU
 * between fully connected layers, none after the last).
 *
 * <p>Pooling is in ceil mode: a 32×32 input (CIFAR) shrinks 32→16→8→4→2, exactly as in the paper;
 * a 28×28 input (MNIST, Fashion-MNIST) shrinks 28→14→7→4→2 instead of losing the odd row and column
 * at 7→3→1, so depth 8 and 10 still see every pixel and end on a 2×2 map.
 */
public final class PlainCnn {

    /** Plans for datasets of up to 10 classes (the paper's CIFAR-10 book); the last FC gets the class count. */
    static final Map<Integer, List<String>> PLANS_10 = Map.of(
            2, List.of("C16", "P", "C16", "P", "FC"),
            4, List.of("C16", "C16", "P", "C32", "C32", "P", "FC"),
            6, List.of("C16", "C16", "P", "C32", "C32", "P", "C64", "C64", "P", "FC"),
            8, List.of("C16", "C16", "P", "C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "FC64", "FC"),
            10, List.of("C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "C256", "C256", "C256", "C256", "P", "FC128", "FC"));

    /** Plans for more than 10 classes (the paper's CIFAR-100 book). */
    static final Map<Integer, List<String>> PLANS_100 = Map.of(
            2, List.of("C32", "P", "C32", "P", "FC"),
            4, List.of("C32", "C32", "P", "C64", "C64", "P", "FC"),
            6, List.of("C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "FC"),
            8, List.of("C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "C256", "C256", "P", "FC64", "FC"),
            10, List.of("C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "C256", "C256", "C256", "C256", "P", "FC512", "FC"));

    private PlainCnn() {}

    /** The layer plan for a depth and class count. */
    public static List<String> plan(int depth, int classes) {
        List<String> plan = (classes > 10 ? PLANS_100 : PLANS_10).get(depth);
        if (plan == null) {
            throw new IllegalArgumentException("plain-cnn depth must be one of 2, 4, 6, 8, 10, got " + depth);
        }
        return plan;
    }

    /** Builds the network; {@code width} multiplies every convolution's filter count. */
    public static SequentialBlock build(int depth, double width, int classes) {
        List<String> plan = plan(depth, classes);
        SequentialBlock net = new SequentialBlock();
        boolean flattened = false;
        for (int i = 0; i < plan.size(); i++) {
            String layer = plan.get(i);
            if (layer.equals("P")) {
                net.add(maxPool());
            } else if (layer.startsWith("C")) {
                int filters = Models.scale(Integer.parseInt(layer.substring(1)), width);
                net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(filters).build());
                net.add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
                if (i + 1 < plan.size() && plan.get(i + 1).equals("P")) {
                    // Cn-P: pool first, then ReLU, on a quarter of the values; max-pool and ReLU commute
                    // (ReLU is monotonic), so outputs and gradients are those of ReLU-then-pool
                    net.add(maxPool());
                    net.add(Activation.reluBlock());
                    i++;
                } else {
                    net.add(Activation.reluBlock());
                }
            } else {
                if (!flattened) {
                    net.add(Blocks.batchFlattenBlock());
                    flattened = true;
                }
                boolean last = i == plan.size() - 1;
                int units = last ? classes : Integer.parseInt(layer.substring(2));
                net.add(Linear.builder().setUnits(units).build());
                if (!last) {
                    net.add(Activation.reluBlock());
                }
            }
        }
        return net;
    }

    /** {@code P}: 2×2 max-pool, stride 2, ceil mode. */
    private static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true);
    }
}
