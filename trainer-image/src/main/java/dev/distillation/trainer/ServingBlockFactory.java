package dev.distillation.trainer;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.model.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds a built-in network from the model.json beside its parameters, for DJL's model loader
 * ({@code blockFactory} in an export's serving.properties): the network, its parameters allocated
 * for the recorded input shape, ready for DJL to load the parameter file into.
 */
public final class ServingBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        ModelInfo info;
        try {
            info = Json.read(modelPath.resolve(StageFolder.MODEL_INFO), ModelInfo.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelPath.resolve(StageFolder.MODEL_INFO), e);
        }
        Block block = Models.build(Architecture.fromValue(info.architecture()), info.depth(), info.width(), info.classes());
        Models.initialize(block, model.getNDManager(), info.inputShapeArray(), 0);
        return block;
    }
}
