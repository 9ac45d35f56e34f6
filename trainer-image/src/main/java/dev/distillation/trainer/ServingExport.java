package dev.distillation.trainer;

import dev.distillation.api.job.StageJobFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A finished stage's network, exported for serving in {@code <stage>/export/}:
 *
 * <pre>
 * model.pt            a torchscript network: the TorchScript file (torch.jit.load and DJL load it)
 * model-0000.params   a built-in network: its parameters in DJL's format, under the name DJL's
 *                     model loader looks for; {@link ServingBlockFactory} rebuilds the network
 * model.json          what the network takes and gives ({@link ModelInfo}): input shape, normalisation, classes
 * synset.txt          the class names, one a line, in the order of the network's outputs
 * serving.properties  how DJL (and DJL Serving) loads the folder: engine PyTorch, model name, and for a
 *                     built-in network the block factory
 * </pre>
 *
 * The network takes float images (N, C, H, W), pixel/255 normalised with model.json's mean and std,
 * and gives one logit per class. {@code distill predict} loads the folder the way serving.properties says.
 */
public final class ServingExport {

    /** The folder inside a stage's folder. */
    public static final String DIR = StageJobFactory.EXPORT_DIR;
    public static final String PROPERTIES = "serving.properties";
    public static final String SYNSET = "synset.txt";
    /** The model name serving.properties gives, the prefix of the files DJL loads. */
    public static final String MODEL_NAME = ModelFiles.NAME;
    /** A built-in network's parameters as DJL's loader finds them ({@code <name>-<epoch>.params}). */
    static final String BUILTIN_PARAMS = MODEL_NAME + "-0000.params";

    private ServingExport() {}

    /** Writes {@code folder}'s export from its weights and model.json (atomically: a new folder renamed into place). */
    static void write(StageFolder folder, ModelInfo info, List<String> classNames) throws IOException {
        Path target = folder.dir().resolve(DIR);
        Path tmp = folder.dir().resolve("." + DIR + ".tmp");
        ModelFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        Files.copy(folder.weights(), tmp.resolve(info.torchscript() ? StageFolder.TORCHSCRIPT : BUILTIN_PARAMS));
        Files.copy(folder.modelInfo(), tmp.resolve(StageFolder.MODEL_INFO));
        Files.writeString(tmp.resolve(SYNSET), String.join("\n", classNames) + "\n", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve(PROPERTIES), properties(info), StandardCharsets.UTF_8);
        ModelFiles.deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static String properties(ModelInfo info) {
        StringBuilder p = new StringBuilder()
                .append("# ").append(info.network()).append(": stage ").append(info.stage()).append(" of chain ").append(info.chain())
                .append(", ").append(info.classes()).append(" classes\n")
                .append("# input: float (N, ").append(info.inputShape().get(0)).append(", ").append(info.inputShape().get(1))
                .append(", ").append(info.inputShape().get(2)).append("), pixel/255 normalised with model.json's mean and std\n")
                .append("# output: one logit per class, in the order of synset.txt\n")
                .append("engine=PyTorch\n")
                .append("option.modelName=").append(MODEL_NAME).append('\n');
        if (!info.torchscript()) {
            p.append("# the network is rebuilt from model.json by this class of the trainer's jar\n")
                    .append("blockFactory=").append(ServingBlockFactory.class.getName()).append('\n');
        }
        return p.toString();
    }
}
