package dev.distillation.trainer;

import ai.djl.Device;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.trainer.data.Dataset;

/**
 * What every part of one stage's run reads: the job, the folder its outputs go to, the data (limited
 * to the job's maxTrainSamples), the device and thread count it runs with, and who hears its progress.
 */
record RunContext(StageJob job, StageFolder folder, Dataset data, Device device, int threads, TrainingListener events) {

    StageJobTraining training() {
        return job.training();
    }

    int classes() {
        return data.classes();
    }
}
