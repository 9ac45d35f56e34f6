package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.model.Models;
import dev.distillation.trainer.model.TorchScriptBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;

/** A network's model.params (DJL's parameter file) and model.json side by side in a {@link StageFolder}. */
public final class ModelFiles {

    /** The model name stored in model.params. */
    public static final String NAME = "model";

    private ModelFiles() {}

    /** A loaded network with its description. Keep the {@link Model} reachable while the block is used. */
    public record Loaded(Model model, ModelInfo info) {
        public Block block() {
            return model.getBlock();
        }
    }

    /**
     * Writes {@code model}'s parameters as {@code dir/model.params} (a TorchScript network as
     * {@code dir/model.pt}) and {@code info} as {@code dir/model.json}, each atomically; the other
     * kind of weights file, left by an earlier stage of other settings, is removed.
     */
    public static void save(Path dir, Model model, ModelInfo info) throws IOException {
        StageFolder folder = StageFolder.of(dir);
        Files.createDirectories(dir);
        if (model.getBlock() instanceof TorchScriptBlock ts) {
            Path tmp = dir.resolve("." + StageFolder.TORCHSCRIPT + ".tmp");
            ts.writeTorchScript(tmp);
            Files.move(tmp, folder.torchscript(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(folder.params());
            Json.write(folder.modelInfo(), info);
            return;
        }
        Files.deleteIfExists(folder.torchscript());
        Path tmp = Files.createTempDirectory(dir, ".save-");
        try {
            model.save(tmp, NAME);
            Path written;
            try (Stream<Path> s = Files.list(tmp)) {
                written = s.filter(p -> p.getFileName().toString().endsWith(".params")).findFirst()
                        .orElseThrow(() -> new IOException("DJL wrote no .params file in " + tmp));
            }
            Files.move(written, folder.params(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
        Json.write(folder.modelInfo(), info);
    }

    /** Reads {@code dir/model.json}; a missing or unreadable file is bad input naming it. */
    public static ModelInfo readInfo(Path dir, String role) throws TrainerException {
        Path file = StageFolder.of(dir).modelInfo();
        if (!Files.isRegularFile(file)) {
            throw TrainerException.badInput(role + " file " + file + " does not exist; expected the model.json a finished stage writes");
        }
        ModelInfo info;
        try {
            info = Json.read(file, ModelInfo.class);
        } catch (IOException e) {
            throw TrainerException.badInput(role + " file " + file + " is not a valid model.json: " + firstLine(e.getMessage()), e);
        }
        if (info.architecture() == null || info.inputShape() == null || info.inputShape().size() != 3 || info.classes() < 2
                || info.normalization() == null) {
            throw TrainerException.badInput(role + " file " + file + " lacks architecture, classes, inputShape [C,H,W] or normalization");
        }
        try {
            Architecture.fromValue(info.architecture());
        } catch (IllegalArgumentException e) {
            throw TrainerException.badInput(role + " file " + file + ": architecture " + e.getMessage());
        }
        return info;
    }

    /** Rebuilds the network {@code dir/model.json} describes and loads {@code dir/model.params} into it. */
    public static Loaded load(Path dir, Device device, String role) throws TrainerException {
        ModelInfo info = readInfo(dir, role);
        if (info.torchscript()) {
            return loadTorchScript(dir, info, device, role);
        }
        Path params = StageFolder.of(dir).params();
        if (!Files.isRegularFile(params)) {
            throw TrainerException.badInput(role + " file " + params + " does not exist; expected the model.params a finished stage writes");
        }
        Block block;
        try {
            block = Models.build(Architecture.fromValue(info.architecture()), info.depth(), info.width(), info.classes());
        } catch (IllegalArgumentException e) {
            throw TrainerException.badInput(role + " file " + StageFolder.of(dir).modelInfo() + ": " + e.getMessage());
        }
        Model model = Model.newInstance(NAME, device, "PyTorch");
        model.setBlock(block);
        model.setDataType(DataType.FLOAT32);
        try {
            Models.initialize(block, model.getNDManager(), info.inputShapeArray(), 0);
            // DJL's Model.load(dir, name) only finds name-NNNN.params; the stream form reads any file
            try (var in = new java.io.BufferedInputStream(Files.newInputStream(params), 1 << 16)) {
                model.load(in);
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw TrainerException.badInput(role + " file " + params + " cannot be loaded into a " + info.architecture() + "-" + info.depth()
                    + " with " + info.classes() + " classes (corrupt or from another network): " + firstLine(String.valueOf(e.getMessage())), e);
        }
        return new Loaded(model, info);
    }

    /** A stage's trained TorchScript network (model.pt), frozen. */
    private static Loaded loadTorchScript(Path dir, ModelInfo info, Device device, String role) throws TrainerException {
        Path file = StageFolder.of(dir).torchscript();
        if (!Files.isRegularFile(file)) {
            throw TrainerException.badInput(role + " file " + file + " does not exist; expected the model.pt a finished torchscript stage writes");
        }
        Model model = Model.newInstance(NAME, device, "PyTorch");
        try {
            model.setBlock(TorchScriptBlock.load(model.getNDManager(), file, false));
            model.setDataType(DataType.FLOAT32);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw TrainerException.badInput(role + " file " + file + " cannot be loaded as TorchScript (corrupt?): "
                    + firstLine(String.valueOf(e.getMessage())), e);
        }
        return new Loaded(model, info);
    }

    /** Checks that a network read from {@code dir} takes {@code data}'s images and gives its classes. */
    static void checkFits(ModelInfo info, Dataset data, Path dir, String role) throws TrainerException {
        Path file = StageFolder.of(dir).modelInfo();
        if (info.classes() != data.classes()) {
            throw TrainerException.badInput(role + " file " + file + " says " + info.classes()
                    + " classes but dataset " + data.name() + " has " + data.classes());
        }
        if (!Arrays.equals(info.inputShapeArray(), data.inputShape())) {
            throw TrainerException.badInput(role + " file " + file + " says input shape " + info.inputShape()
                    + " but dataset " + data.name() + " images are " + Arrays.toString(data.inputShape()));
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
