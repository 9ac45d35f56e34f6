package dev.distillation.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The CIFAR ResNets of He et al. (2016), section 4.2: a 3×3 convolution with 16 filters, then three
 * stages of n BasicBlocks with 16, 32 and 64 filters (the first block of stages 2 and 3 has stride 2),
 * global average pooling and a fully connected layer; depth = 6n + 2. A BasicBlock is
 * conv3×3-BN-ReLU-conv3×3-BN plus the shortcut, then ReLU. Shortcuts are parameter-free ("option A"):
 * the identity, or where the shape changes, every second pixel with the new channels zero-padded.
 * (DJL's model-zoo ResNetV1 uses 1×1 convolution shortcuts and the ImageNet layout, so it is not this network.)
 */
public final class CifarResNet {

    private CifarResNet() {}

    public static SequentialBlock build(int depth, double width, int classes) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("resnet depth must be 6n+2 (8, 14, 20, ...), got " + depth);
        }
        int n = (depth - 2) / 6;
        int[] planes = {Models.scale(16, width), Models.scale(32, width), Models.scale(64, width)};
        SequentialBlock net = new SequentialBlock();
        net.add(conv3x3(planes[0], 1));
        net.add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        net.add(Activation.reluBlock());
        int in = planes[0];
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < n; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(in, planes[stage], stride));
                in = planes[stage];
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        net.add(Linear.builder().setUnits(classes).build());
        return net;
    }

    static Block conv3x3(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).setFilters(filters).optBias(false).build();
    }

    static Block basicBlock(int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv3x3(out, stride))
                .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
                .add(Activation.reluBlock())
                .add(conv3x3(out, 1))
                .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        Block shortcut = (stride == 1 && in == out) ? Blocks.identityBlock() : shortcutA(in, out, stride);
        return new SequentialBlock()
                .add(new ParallelBlock(CifarResNet::sum, List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /** Option A: subsample by {@code stride}, zero-pad the extra channels (half before, half after). */
    static Block shortcutA(int in, int out, int stride) {
        int extra = out - in;
        int before = extra / 2;
        int after = extra - before;
        NDIndex subsample = new NDIndex(":, :, ::" + stride + ", ::" + stride);
        return LambdaBlock.singleton(x -> {
            NDArray s = stride == 1 ? x : x.get(subsample);
            // pad takes pairs from the last axis backwards: (W), (H), (C)
            return extra == 0 ? s : s.pad(new Shape(0, 0, 0, 0, before, after), 0);
        }, "shortcutA");
    }
}
