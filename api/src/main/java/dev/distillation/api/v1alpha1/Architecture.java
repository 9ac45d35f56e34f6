package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Network families a stage can train, with the depths each supports. */
public enum Architecture {
    /** The paper's plain CNNs: 3x3 conv + BatchNorm + ReLU blocks with max-pooling. */
    PLAIN_CNN("plain-cnn", Arrays.stream(Bounds.PLAIN_CNN_DEPTHS.split(", ")).map(Integer::valueOf).toList()),
    /** CIFAR ResNets (BasicBlock, 16/32/64 channels), depth 6n+2. */
    RESNET("resnet", IntStream.iterate(Bounds.RESNET_DEPTH_MIN, d -> d <= Bounds.DEPTH_MAX, d -> d + 6).boxed().toList());

    private final String value;
    private final List<Integer> depths;

    Architecture(String value, List<Integer> depths) {
        this.value = value;
        this.depths = depths;
    }

    @JsonValue
    public String value() { return value; }

    /** Depths this architecture can be built with. */
    public List<Integer> depths() { return depths; }

    public boolean supportsDepth(int depth) { return depths.contains(depth); }

    @JsonCreator
    public static Architecture fromValue(String value) { return Enums.fromValue(Architecture.class, value); }

    @Override
    public String toString() { return value; }
}
