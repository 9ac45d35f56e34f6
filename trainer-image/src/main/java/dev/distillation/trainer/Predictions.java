package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.translate.NoopTranslator;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.trainer.data.CifarReader;
import dev.distillation.trainer.data.DatasetException;
import dev.distillation.trainer.data.IdxReader;
import dev.distillation.trainer.data.ImageFolderReader;
import dev.distillation.trainer.data.ImageSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * A finished stage's network classifying images: loaded from the stage's folder (model.json with
 * model.params or model.pt) or from its export (as its serving.properties tells DJL to load it), run
 * on an IDX image file, a CIFAR binary file or an image folder with the same batching and
 * normalisation as the trainer's own evaluation.
 */
public final class Predictions {

    /**
     * The predicted class of every image, in order, and their labels when the input has some (else
     * null). {@code classNames} are the network's classes (synset.txt, else their indices).
     */
    public record Result(int[] predicted, int[] labels, List<String> classNames) {

        /** Images whose prediction is their label (0 without labels). */
        public long correct() {
            return labels == null ? 0 : IntStream.range(0, predicted.length).filter(i -> predicted[i] == labels[i]).count();
        }

        /** The share of images predicted right, or null without labels. */
        public Double accuracy() {
            return labels == null ? null : (double) correct() / predicted.length;
        }
    }

    /** Where the images come from: {@code format} (null: a folder is an image folder, a .bin file CIFAR-10, else IDX). */
    public record Input(Path path, DatasetFormat format, Path labels) {
        DatasetFormat effectiveFormat() {
            if (format != null) {
                return format;
            }
            if (Files.isDirectory(path)) {
                return DatasetFormat.IMAGE_FOLDER;
            }
            return path.getFileName().toString().endsWith(".bin") ? DatasetFormat.CIFAR10 : DatasetFormat.IDX;
        }

        boolean labelled() {
            return effectiveFormat() != DatasetFormat.IDX || labels != null;
        }
    }

    private Predictions() {}

    public static Result predict(Path modelDir, Input input, TrainerOptions options) throws TrainerException {
        Engine engine = Engines.pytorch(options.effectiveThreads());
        Device device = Engines.device(engine, options.device());
        ModelInfo info = ModelFiles.readInfo(modelDir, "model");
        List<String> classNames = classNames(modelDir, info.classes());
        ImageSet images = read(input, classNames);
        long[] shape = {images.channels(), images.height(), images.width()};
        if (!Arrays.equals(shape, info.inputShapeArray())) {
            throw TrainerException.badInput("the images in " + input.path() + " are " + Arrays.toString(shape)
                    + " (channels, height, width) but the network in " + modelDir + " takes " + info.inputShape());
        }
        Model model = load(modelDir, device);
        try {
            Batches batches = new Batches(images, info.normalizationValue(), info.classes(), MemoryLayout.channelsLast(device, info));
            float[] logits = Evaluator.logitsOf(model.getBlock(), batches, images.size(), info.classes(), device);
            int[] predicted = new int[images.size()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = Evaluator.argmax(logits, i * info.classes(), info.classes());
            }
            return new Result(predicted, input.labelled() ? images.labels().clone() : null, classNames);
        } finally {
            model.close();
        }
    }

    /** An export (it has serving.properties) as DJL's model loader reads it; else a stage's folder. */
    static Model load(Path dir, Device device) throws TrainerException {
        Path properties = dir.resolve(ServingExport.PROPERTIES);
        if (!Files.isRegularFile(properties)) {
            return ModelFiles.load(dir, device, "model").model();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw TrainerException.badInput("cannot read " + properties + ": " + e.getMessage(), e);
        }
        Map<String, Object> arguments = new HashMap<>();
        Map<String, String> modelOptions = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("option.")) {
                modelOptions.put(key.substring("option.".length()), p.getProperty(key));
            } else if (!key.equals("engine")) {
                arguments.put(key, p.getProperty(key));
            }
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine(p.getProperty("engine", "PyTorch"))
                .optModelName(modelOptions.getOrDefault("modelName", ServingExport.MODEL_NAME))
                .optArguments(arguments)
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .build();
        try {
            return criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw TrainerException.badInput("DJL cannot load the export " + dir + " as its " + ServingExport.PROPERTIES + " says: "
                    + ModelFiles.firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static List<String> classNames(Path dir, int classes) throws TrainerException {
        Path synset = dir.resolve(ServingExport.SYNSET);
        if (!Files.isRegularFile(synset)) {
            return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        }
        try {
            List<String> names = Files.readAllLines(synset, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            if (names.size() != classes) {
                throw TrainerException.badInput(synset + " names " + names.size() + " classes but model.json says " + classes);
            }
            return names;
        } catch (IOException e) {
            throw TrainerException.badInput("cannot read " + synset + ": " + e.getMessage(), e);
        }
    }

    private static ImageSet read(Input input, List<String> classNames) throws TrainerException {
        try {
            return switch (input.effectiveFormat()) {
                case IDX -> IdxReader.readFiles(input.path(), input.labels());
                case CIFAR10 -> CifarReader.readFile(input.path(), false);
                case CIFAR100 -> CifarReader.readFile(input.path(), true);
                case IMAGE_FOLDER -> ImageFolderReader.readLabelled(input.path(), classNames);
            };
        } catch (DatasetException e) {
            throw TrainerException.badInput(e.getMessage(), e);
        }
    }
}
