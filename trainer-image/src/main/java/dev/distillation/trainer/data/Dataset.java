package dev.distillation.trainer.data;

import java.util.List;

/**
 * A dataset ready to train on: its train and test splits, the number of classes and the
 * per-channel normalisation (mean and standard deviation of the training pixels, on a 0..1 scale).
 *
 * @param name       a label for logs and model.json (e.g. fashion-mnist, or the dataset folder)
 * @param format     idx, cifar10, cifar100 or image-folder
 * @param classNames one name per class (for image folders the subfolder names; else the class index)
 */
public record Dataset(String name, String format, ImageSet train, ImageSet test, int classes,
                      Normalization normalization, List<String> classNames) {

    /** [channels, height, width]. */
    public long[] inputShape() {
        return new long[] {train.channels(), train.height(), train.width()};
    }

    /** This dataset with only the first {@code n} training images (for smoke runs); the test split stays whole. */
    public Dataset withTrainLimit(Integer n) {
        if (n == null || n >= train.size()) {
            return this;
        }
        return new Dataset(name, format, train.first(n), test, classes, normalization, classNames);
    }
}
