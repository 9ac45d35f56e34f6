package dev.distillation.operator.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TerminationMessageTest {

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("the trainer's own reason",
                        "error: cannot read /data/train-images-idx3-ubyte: no such file",
                        "cannot read /data/train-images-idx3-ubyte: no such file"),
                Arguments.of("a log tail ending with the trainer's stderr line",
                        "epoch 3/30 loss 0.41\ndistill train: error: teacher checkpoint /teacher/model.params is corrupt",
                        "teacher checkpoint /teacher/model.params is corrupt"),
                Arguments.of("uncaught error: the exception line, not the last frame",
                        """
                        epoch 1/30 loss 2.30
                        Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
                        \tat ai.djl.ndarray.NDArray.toFloatArray(NDArray.java:401)
                        \tat dev.distillation.trainer.StageTrainer.train(StageTrainer.java:190)
                        """,
                        "java.lang.OutOfMemoryError: Java heap space"),
                Arguments.of("wrapped exception: the root cause",
                        """
                        java.lang.IllegalStateException: epoch 4 failed
                        \tat dev.distillation.trainer.StageTrainer.train(StageTrainer.java:204)
                        Caused by: ai.djl.engine.EngineException: CUDA out of memory. Tried to allocate 2.00 GiB
                        \tat ai.djl.pytorch.jni.PyTorchLibrary.torchMatmul(Native Method)
                        \t... 7 more
                        """,
                        "ai.djl.engine.EngineException: CUDA out of memory. Tried to allocate 2.00 GiB"),
                Arguments.of("a tail cut inside the trace: the exception line still found",
                        "\tat java.base/java.lang.Thread.run(Thread.java:840)\nCaused by: java.io.IOException: No space left on device\n"
                                + "\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)\n\t... 12 more",
                        "java.io.IOException: No space left on device"),
                Arguments.of("native crash without a Java exception: the last line that is not a frame",
                        "epoch 2/30 loss 0.9\nterminate called after throwing an instance of 'c10::Error'\n  what():  CUDA error: an illegal memory access",
                        "what():  CUDA error: an illegal memory access"),
                Arguments.of("only frames: the last line", "\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)", "at a.B.d(B.java:2)"),
                Arguments.of("blank", "  \n ", ""),
                Arguments.of("a long line is cut at 300 characters", "error: " + "x".repeat(400), "x".repeat(300) + "...")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void picksTheLineThatSaysWhatWentWrong(String name, String terminationMessage, String expected) {
        assertThat(TerminationMessage.reason(terminationMessage)).isEqualTo(expected);
    }
}
