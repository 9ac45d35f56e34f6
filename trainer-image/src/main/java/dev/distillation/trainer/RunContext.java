package dev.distillation.trainer;

import ai.djl.Device;
import java.util.List;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.trainer.data.Dataset;

/**
 * What every part of one stage's run reads: the job, the folder its outputs go to, the data (limited
 * to the job's maxTrainSamples), the devices and thread count it runs with, and who hears its progress.
 * {@code device} is the first of {@code devices}: the one the networks live on; a built-in network
 * trains data parallel on all of them ({@link DataParallel}).
 */
record RunContext(StageJob job, StageFolder folder, Dataset data, List<Device> devices, int threads, TrainingListener events) {

    RunContext {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one device");
        }
        devices = List.copyOf(devices);
    }

    Device device() {
        return devices.get(0);
    }

    StageJobTraining training() {
        return job.training();
    }

    int classes() {
        return data.classes();
    }
}
