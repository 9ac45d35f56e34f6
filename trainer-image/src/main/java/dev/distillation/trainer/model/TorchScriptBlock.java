package dev.distillation.trainer.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network read from a TorchScript file (torch.jit.save), as a block the trainer runs, trains and
 * saves like its own networks. Its parameters are the module's own tensors: an update changes the
 * module, and {@link #writeTorchScript} writes it back as a TorchScript file PyTorch loads.
 *
 * <p>Checkpoints hold the whole module ({@link #saveParameters}), BatchNorm statistics included.
 * Loading one replaces the module and with it every {@link Parameter} object: whoever keeps
 * parameters (the optimiser) reads {@link #getParameters()} again after {@link #loadParameters}.
 */
public final class TorchScriptBlock extends AbstractBlock {

    private static final byte FORMAT = 1;

    private final PtNDManager manager;
    private final boolean trainable;
    private PtSymbolBlock module;

    private TorchScriptBlock(PtNDManager manager, PtSymbolBlock module, boolean trainable) {
        this.manager = manager;
        this.module = module;
        this.trainable = trainable;
        requireGradients();
    }

    /**
     * Reads a TorchScript file onto {@code manager}'s device (a PyTorch engine's manager); its
     * parameters need gradients when {@code trainable}. The module lives until the manager closes.
     */
    public static TorchScriptBlock load(NDManager manager, Path file, boolean trainable) throws IOException {
        PtNDManager pt = (PtNDManager) manager;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return new TorchScriptBlock(pt, JniUtils.loadModule(pt, in, true, false), trainable);
        }
    }

    /** Writes the module, with its current weights, as a TorchScript file. */
    public void writeTorchScript(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            JniUtils.writeModule(module, out, false);
        }
    }

    private void requireGradients() {
        for (Pair<String, Parameter> p : module.getDirectParameters()) {
            p.getValue().getArray().setRequiresGradient(trainable);
            if (!trainable) {
                p.getValue().freeze(true);
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return module.forward(store, inputs, training, params);
    }

    @Override
    public ParameterList getDirectParameters() {
        return module.getDirectParameters();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return module.getOutputShapes(inputShapes);
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        os.writeByte(FORMAT);
        JniUtils.writeModule(module, os, true);
    }

    @Override
    public void loadParameters(NDManager ignored, DataInputStream is) throws IOException, MalformedModelException {
        byte format = is.readByte();
        if (format != FORMAT) {
            throw new MalformedModelException("not a TorchScript checkpoint of this trainer (format " + format + ")");
        }
        PtSymbolBlock loaded = JniUtils.loadModule(manager, is, true, true);
        PtSymbolBlock old = module;
        module = loaded;
        old.close();
        requireGradients();
    }

    @Override
    public String toString() {
        return "TorchScript module";
    }
}
