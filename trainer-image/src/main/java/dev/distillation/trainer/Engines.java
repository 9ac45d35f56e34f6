package dev.distillation.trainer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Loads DJL's PyTorch engine offline with the thread counts we choose. */
public final class Engines {

    private Engines() {}

    /**
     * The PyTorch engine with {@code threads} intra-op threads. Before the engine first loads this
     * sets {@code ai.djl.offline=true} (libtorch comes from the pytorch-native jar on the class path,
     * nothing is downloaded) and one inter-op thread, unless those properties are already set.
     */
    public static synchronized Engine pytorch(int threads) throws TrainerException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot load the PyTorch engine (libtorch from the "
                    + "pytorch-native jar): " + ModelFiles.firstLine(String.valueOf(e.getMessage())), e);
        }
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        return engine;
    }

    /** e.g. "PyTorch 2.5.1, DJL 0.33.0". */
    public static String description() {
        Engine e = Engine.getEngine("PyTorch");
        return "PyTorch " + e.getVersion() + ", DJL " + Engine.getDjlVersion();
    }
}
