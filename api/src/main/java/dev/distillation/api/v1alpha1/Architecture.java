package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Network families a stage can train, with the depths each supports (none for a TorchScript file, which brings its own). */
public enum Architecture {
    /** The paper's plain CNNs: 3x3 conv + BatchNorm + ReLU blocks with max-pooling. */
    PLAIN_CNN("plain-cnn", Arrays.stream(Bounds.PLAIN_CNN_DEPTHS.split(", ")).map(Integer::valueOf).toList()),
    /** CIFAR ResNets (BasicBlock, 16/32/64 channels), depth 6n+2. */
    RESNET("resnet", IntStream.iterate(Bounds.RESNET_DEPTH_MIN, d -> d <= Bounds.DEPTH_MAX, d -> d + 6).boxed().toList()),
    /** A network of the user's own, saved with torch.jit.save; it declares its input and classes in the spec. */
    TORCHSCRIPT("torchscript", List.of());

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

    /** Whether the trainer builds this network itself (plain-cnn, resnet) rather than loading it from a file. */
    public boolean builtin() { return this != TORCHSCRIPT; }

    @JsonCreator
    public static Architecture fromValue(String value) { return Enums.fromValue(Architecture.class, value); }

    @Override
    public String toString() { return value; }
}
