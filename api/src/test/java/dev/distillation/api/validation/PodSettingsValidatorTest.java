package dev.distillation.api.validation;

import static dev.distillation.api.validation.ChainValidatorTest.error;

import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.TaintEffect;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of spec.trainer and spec.storage in {@link ChainValidator}: each edit of a valid chain
 * yields exactly one error, at the field, saying what Kubernetes expects there, so that
 * {@code distill run} refuses what the API server would refuse on the stage's Pod or volume.
 */
class PodSettingsValidatorTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                error("cpu that is no quantity", c -> c.getSpec().getTrainer().getResources().setCpu(new Quantity("4 cores")),
                        "spec.trainer.resources.cpu", "cpu must be a Kubernetes quantity greater than 0, e.g. \"4\" or 500m (found '4 cores')"),
                error("cpu 0", c -> c.getSpec().getTrainer().getResources().setCpu(new Quantity("0")),
                        "spec.trainer.resources.cpu", "greater than 0"),
                error("memory in a unit Kubernetes does not know", c -> c.getSpec().getTrainer().getResources().setMemory(new Quantity("8GB")),
                        "spec.trainer.resources.memory", "memory must be a Kubernetes quantity greater than 0, e.g. 8Gi (found '8GB')"),
                error("negative volume size", c -> c.getSpec().getStorage().setSize(new Quantity("-2Gi")),
                        "spec.storage.size", "size must be a Kubernetes quantity greater than 0, e.g. 2Gi (found '-2Gi')"),
                error("storage class with capitals", c -> c.getSpec().getStorage().setStorageClassName("Fast"),
                        "spec.storage.storageClassName", "a DNS subdomain"),
                error("checkpoint volumes nobody can write", c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_ONLY_MANY)),
                        "spec.storage.accessModes", "accessModes must include ReadWriteOnce or ReadWriteMany: each stage writes its "
                                + "checkpoint to its own volume (found [ReadOnlyMany])"),
                error("image with a space", c -> c.getSpec().getTrainer().setImage("trainer:0.1 beta"),
                        "spec.trainer.image", "image must be a container image reference"),
                error("priority class of 254 characters", c -> c.getSpec().getTrainer().setPriorityClassName("a".repeat(254)),
                        "spec.trainer.priorityClassName", "a DNS subdomain"),
                error("node selector key with two slashes", c -> c.getSpec().getTrainer().setNodeSelector(Map.of("a/b/c", "x")),
                        "spec.trainer.nodeSelector", "starting and ending with a letter or digit (found 'a/b/c')"),
                error("node selector value with a space", c -> c.getSpec().getTrainer().setNodeSelector(Map.of("gpu", "a 100")),
                        "spec.trainer.nodeSelector.gpu", "starting and ending with a letter or digit (found 'a 100')"),
                error("33 node selector entries", c -> c.getSpec().getTrainer().setNodeSelector(entries(33)),
                        "spec.trainer.nodeSelector", "at most 32 entries (found 33)"),
                error("toleration with Exists and a value", c -> toleration(c, "gpu", TolerationOperator.EXISTS, "x", null, null),
                        "spec.trainer.tolerations[0]", "a toleration with operator Exists must not have a value"),
                error("toleration without key and operator", c -> toleration(c, null, null, null, TaintEffect.NO_SCHEDULE, null),
                        "spec.trainer.tolerations[0]", "a toleration without a key must have operator Exists"),
                error("toleration seconds without NoExecute", c -> toleration(c, "gpu", TolerationOperator.EXISTS, null, null, 30L),
                        "spec.trainer.tolerations[0]", "tolerationSeconds applies only to effect NoExecute"),
                error("toleration key that is no label key", c -> toleration(c, "-gpu", TolerationOperator.EXISTS, null, null, null),
                        "spec.trainer.tolerations[0]", "a toleration's key must be a label key"),
                error("toleration value that is no label value", c -> toleration(c, "gpu", TolerationOperator.EQUAL, "a=b", null, null),
                        "spec.trainer.tolerations[0]", "a toleration's value must be a label value"),
                error("33 tolerations", c -> c.getSpec().getTrainer().setTolerations(
                        Collections.nCopies(33, exists())), "spec.trainer.tolerations", "at most 32 tolerations (found 33)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(Consumer<DistillationChain> edit, String path, String message) {
        ChainValidatorTest.testError(Fixtures.fashionTakd(), edit, path, message);
    }

    static Stream<Arguments> edges() {
        return Stream.of(
                ChainValidatorTest.valid("cpu 1m", c -> c.getSpec().getTrainer().getResources().setCpu(new Quantity("1m"))),
                ChainValidatorTest.valid("memory 512Mi", c -> c.getSpec().getTrainer().getResources().setMemory(new Quantity("512Mi"))),
                ChainValidatorTest.valid("32 node selector entries", c -> c.getSpec().getTrainer().setNodeSelector(entries(32))),
                ChainValidatorTest.valid("32 tolerations", c -> c.getSpec().getTrainer().setTolerations(Collections.nCopies(32, exists()))),
                ChainValidatorTest.valid("tolerate NoExecute for 300 s",
                        c -> toleration(c, "node.kubernetes.io/not-ready", TolerationOperator.EXISTS, null, TaintEffect.NO_EXECUTE, 300L)),
                ChainValidatorTest.valid("priority class of 253 characters", c -> c.getSpec().getTrainer().setPriorityClassName("a".repeat(253))),
                ChainValidatorTest.valid("ReadWriteMany volumes", c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_WRITE_MANY))),
                ChainValidatorTest.valid("ReadWriteOnce with ReadOnlyMany readers",
                        c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_WRITE_ONCE, AccessMode.READ_ONLY_MANY))),
                ChainValidatorTest.valid("image by digest", c -> c.getSpec().getTrainer().setImage("trainer@sha256:" + "0".repeat(64))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void accepts(Consumer<DistillationChain> edit) {
        ChainValidatorTest.testValid(edit);
    }

    static Map<String, String> entries(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        IntStream.range(0, n).forEach(i -> m.put("label-" + i, "v"));
        return m;
    }

    static TolerationSpec exists() {
        TolerationSpec t = new TolerationSpec();
        t.setOperator(TolerationOperator.EXISTS);
        return t;
    }

    static void toleration(DistillationChain chain, String key, TolerationOperator operator, String value, TaintEffect effect, Long seconds) {
        TolerationSpec t = new TolerationSpec();
        t.setKey(key);
        t.setOperator(operator);
        t.setValue(value);
        t.setEffect(effect);
        t.setTolerationSeconds(seconds);
        chain.getSpec().getTrainer().setTolerations(List.of(t));
    }
}
