package dev.distillation.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.distillation.api.v1alpha1.Architecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Builds and initialises the networks a stage can train. */
public final class Models {

    private Models() {}

    /** {@code channels × width}, rounded, at least 1. */
    static int scale(int channels, double width) {
        return Math.max(1, (int) Math.round(channels * width));
    }

    public static Block build(Architecture architecture, int depth, double width, int classes) {
        return switch (architecture) {
            case PLAIN_CNN -> PlainCnn.build(depth, width, classes);
            case RESNET -> CifarResNet.build(depth, width, classes);
            case TORCHSCRIPT -> throw new IllegalArgumentException("a torchscript network is read from its file, not built");
        };
    }

    /** The fewest filters any convolution of the network has (its narrowest feature map). */
    public static int narrowestConvolution(Architecture architecture, int depth, double width, int classes) {
        return switch (architecture) {
            case PLAIN_CNN -> PlainCnn.plan(depth, classes).stream().filter(l -> l.startsWith("C"))
                    .mapToInt(l -> scale(Integer.parseInt(l.substring(1)), width)).min().orElseThrow();
            case RESNET -> scale(16, width);
            case TORCHSCRIPT -> throw new IllegalArgumentException("the convolutions of a torchscript network are unknown");
        };
    }

    /**
     * Allocates the parameters for inputs of {@code inputShape} = [C, H, W] and initialises them like
     * PyTorch's defaults for Conv2d and Linear (weights and biases uniform in ±1/√fan_in, i.e.
     * kaiming_uniform with a = √5), BatchNorm scale 1 and shift 0. DJL's own default (Xavier) trains
     * noticeably worse on these networks. The values come from a Java random generator seeded with
     * {@code seed}, so they do not depend on the engine's random state.
     */
    public static void initialize(Block block, NDManager manager, long[] inputShape, long seed) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
        SplittableRandom random = new SplittableRandom(seed);
        initRecursive(block, random);
    }

    private static void initRecursive(Block block, SplittableRandom random) {
        if (block instanceof Convolution || block instanceof Linear) {
            NDArray weight = null;
            NDArray bias = null;
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    weight = p.getValue().getArray();
                } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                    bias = p.getValue().getArray();
                }
            }
            if (weight != null) {
                long[] shape = weight.getShape().getShape();
                long fanIn = 1;
                for (int i = 1; i < shape.length; i++) {
                    fanIn *= shape[i];
                }
                double bound = 1.0 / Math.sqrt(fanIn);
                fillUniform(weight, bound, random);
                if (bias != null) {
                    fillUniform(bias, bound, random);
                }
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            initRecursive(child.getValue(), random);
        }
    }

    private static void fillUniform(NDArray array, double bound, SplittableRandom random) {
        int n = Math.toIntExact(array.size());
        ByteBuffer buf = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        FloatBuffer fb = buf.asFloatBuffer();
        for (int i = 0; i < n; i++) {
            fb.put((float) ((random.nextDouble() * 2 - 1) * bound));
        }
        buf.rewind();
        array.set(buf);
    }

    /** Trainable parameter count (weights, biases, BatchNorm scale and shift; not running statistics). */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }
}
