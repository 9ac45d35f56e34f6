package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobInput;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.Normalization;
import dev.distillation.trainer.model.Models;
import dev.distillation.trainer.model.TorchScriptBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A stage's own TorchScript network: its declared input ({@code model.input}) and classes
 * ({@code model.classes}) checked against the dataset, then the file read and checked to take a
 * batch of those images and give one logit per class, before any training.
 */
final class TorchScriptModels {

    /** The file a stage's TorchScript network is saved in, in the stage's folder and in its export. */
    static final String FILE = StageFolder.TORCHSCRIPT;

    private TorchScriptModels() {}

    /**
     * {@code path} itself, or the {@value #FILE} inside it when it is a folder (a finished stage or
     * its export); bad input naming {@code field} when there is no such file.
     */
    static Path file(String path, String field) throws TrainerException {
        Path p = Path.of(path);
        Path file = Files.isDirectory(p) ? p.resolve(FILE) : p;
        if (!Files.isRegularFile(file)) {
            throw TrainerException.badInput(field + ": no TorchScript file " + file + (Files.isDirectory(p) ? " in the folder " + p : ""));
        }
        return file;
    }

    /**
     * The normalisation the job's network takes: the declared mean and std, or the dataset's own
     * statistics when the model declares none.
     */
    static Normalization normalization(StageJob job, Dataset data) {
        StageJobInput input = job.model().getInput();
        if (input.getMean() == null) {
            return data.normalization();
        }
        return new Normalization(input.getMean().stream().mapToDouble(Double::doubleValue).toArray(),
                input.getStd().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Checks the job's declared input and classes against the dataset; the message names the field that does not fit. */
    static void checkDeclaration(StageJob job, Dataset data) throws TrainerException {
        StageJobInput input = job.model().getInput();
        long[] shape = data.inputShape();
        String images = " but dataset " + data.name() + " has " + shape[0] + "x" + shape[1] + "x" + shape[2]
                + " images (channels x height x width)";
        if (input.getChannels() != shape[0]) {
            throw TrainerException.badInput("model.input.channels is " + input.getChannels() + images);
        }
        if (input.getHeight() != shape[1]) {
            throw TrainerException.badInput("model.input.height is " + input.getHeight() + images);
        }
        if (input.getWidth() != shape[2]) {
            throw TrainerException.badInput("model.input.width is " + input.getWidth() + images);
        }
        if (job.model().getClasses() != data.classes()) {
            throw TrainerException.badInput("model.classes is " + job.model().getClasses() + " but dataset " + data.name()
                    + " has " + data.classes() + " classes");
        }
    }

    /**
     * Reads the job's TorchScript {@code file} (named by {@code field} in messages) after checking its
     * declaration, and runs it once on a batch of blank images: it must give one logit per class.
     * The network's parameters need gradients when {@code trainable}; else it is frozen.
     */
    static ModelFiles.Loaded load(Path file, String field, StageJob job, Dataset data, Device device, boolean trainable)
            throws TrainerException {
        checkDeclaration(job, data);
        Model model = Model.newInstance(ModelFiles.NAME, device, "PyTorch");
        try {
            TorchScriptBlock block;
            try {
                block = TorchScriptBlock.load(model.getNDManager(), file, trainable);
            } catch (IOException | EngineException e) {
                throw TrainerException.badInput(field + ": " + file + " is not a TorchScript file PyTorch "
                        + "can load (save it with torch.jit.save): " + ModelFiles.firstLine(String.valueOf(e.getMessage())), e);
            }
            model.setBlock(block);
            model.setDataType(DataType.FLOAT32);
            probe(block, model.getNDManager(), file, field, data);
            Normalization n = normalization(job, data);
            return new ModelFiles.Loaded(model, ModelInfo.of(job, data, n, Models.parameterCount(block)));
        } catch (TrainerException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A batch of two blank images through the network (inference mode): one tensor of two rows of logits, one per class. */
    private static void probe(TorchScriptBlock block, NDManager manager, Path file, String field, Dataset data)
            throws TrainerException {
        long[] shape = data.inputShape();
        Shape batch = new Shape(2, shape[0], shape[1], shape[2]);
        try (NDManager scope = manager.newSubManager()) {
            NDList out;
            try {
                out = block.forward(new ParameterStore(scope, false), new NDList(scope.zeros(batch)), false);
            } catch (EngineException e) {
                throw TrainerException.badInput(field + ": the network in " + file + " cannot take a batch of " + batch
                        + " images (model.input): " + ModelFiles.firstLine(e.getMessage()), e);
            }
            long[] logits = out.size() == 1 ? out.get(0).getShape().getShape() : null;
            if (logits == null || !Arrays.equals(logits, new long[] {2, data.classes()})) {
                throw TrainerException.badInput(field + ": the network in " + file + " gives " + describe(out) + " for a batch of "
                        + batch + " images; model.classes (" + data.classes() + ") needs one tensor of shape (2, " + data.classes() + ")");
            }
            for (NDArray a : out) {
                a.close();
            }
        }
    }

    private static String describe(NDList out) {
        return out.size() == 1 ? "a tensor of shape " + out.get(0).getShape() : out.size() + " tensors";
    }
}
