package dev.distillation.trainer.data;

import java.util.List;

/**
 * A dataset ready to train on: its train, validation and test splits, the number of classes and the
 * per-channel normalisation (mean and standard deviation of the training pixels, on a 0..1 scale).
 *
 * @param name       a label for logs and model.json (e.g. fashion-mnist, or the dataset folder)
 * @param format     idx, cifar10, cifar100 or image-folder
 * @param validation training images held out of training ({@link #withValidationSplit}), or null when none are
 * @param classNames one name per class (for image folders the subfolder names; else the class index)
 */
public record Dataset(String name, String format, ImageSet train, ImageSet validation, ImageSet test, int classes,
                      Normalization normalization, List<String> classNames) {

    /** A dataset as a reader returns it: no validation split. */
    public Dataset(String name, String format, ImageSet train, ImageSet test, int classes, Normalization normalization,
                   List<String> classNames) {
        this(name, format, train, null, test, classes, normalization, classNames);
    }

    /** [channels, height, width]. */
    public long[] inputShape() {
        return new long[] {train.channels(), train.height(), train.width()};
    }

    /**
     * This dataset with {@code size} training images, drawn with {@code seed} ({@link ValidationSplitter}),
     * moved to the validation split; the normalisation is recomputed from the images left to train on.
     */
    public Dataset withValidationSplit(int size, long seed) throws DatasetException {
        if (validation != null) {
            throw new IllegalStateException("dataset " + name + " already has a validation split");
        }
        ValidationSplitter.Split split = ValidationSplitter.split(train.size(), size, seed, name);
        ImageSet kept = train.select(split.train());
        return new Dataset(name, format, kept, train.select(split.validation()), test, classes, Normalization.of(kept), classNames);
    }

    /**
     * This dataset with only the first {@code n} training images (for smoke runs); the validation and test
     * splits stay whole.
     */
    public Dataset withTrainLimit(Integer n) {
        if (n == null || n >= train.size()) {
            return this;
        }
        return new Dataset(name, format, train.first(n), validation, test, classes, normalization, classNames);
    }
}
