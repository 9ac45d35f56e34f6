package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

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

    /** The device {@code requested} ("auto", "cpu" or "gpu", see {@link TrainerOptions}) names on this engine. */
    static Device device(Engine engine, String requested) throws TrainerException {
        int gpus = engine.getGpuCount();
        return switch (requested) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw TrainerException.badInput("device gpu was requested but PyTorch sees no GPU (is this the CUDA image, "
                            + "and does the pod request a GPU?); use --device auto or cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /**
     * The devices a stage trains on: every GPU PyTorch sees when {@code requested} names the GPU (or
     * "auto" with a GPU), so a Pod given N GPUs trains on N; otherwise the one {@link #device} names.
     */
    static List<Device> devices(Engine engine, String requested) throws TrainerException {
        Device first = device(engine, requested);
        if (!first.isGpu()) {
            return List.of(first);
        }
        List<Device> all = new ArrayList<>();
        for (int i = 0; i < engine.getGpuCount(); i++) {
            all.add(Device.gpu(i));
        }
        return all;
    }

    /** e.g. "PyTorch 2.5.1, DJL 0.33.0". */
    public static String description() {
        Engine e = Engine.getEngine("PyTorch");
        return "PyTorch " + e.getVersion() + ", DJL " + Engine.getDjlVersion();
    }
}
