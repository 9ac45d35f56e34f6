package dev.distillation.trainer;

import ai.djl.Device;
import dev.distillation.api.job.StageJobModel;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.model.Models;

/** Which memory order a network's batches take (see {@link Batches}): the channels-last policy. */
final class MemoryLayout {

    /** Networks whose narrowest convolution has fewer filters than this take batches in NCHW order. */
    static final int CHANNELS_LAST_MIN_FILTERS = 8;

    private MemoryLayout() {}

    /**
     * Whether a network's batches go in channels-last memory order: on the CPU, where libtorch's
     * kernels for it are the faster ones (see {@link Batches}), unless the network has a convolution
     * narrower than {@value #CHANNELS_LAST_MIN_FILTERS} filters, where they are the slower ones
     * (plain-cnn-2 at width 0.25, 4 filters: 2.3 times slower per step; at width 0.5, 8 filters: 1.1
     * to 1.2 times faster; at width 1: 1.7 times faster). Not on a GPU, where it is unmeasured.
     * {@code -Ddistill.channelsLast=false} turns it off (for benchmarks).
     */
    static boolean channelsLast(Device device, int narrowestConvolution) {
        return Device.Type.CPU.equals(device.getDeviceType()) && narrowestConvolution >= CHANNELS_LAST_MIN_FILTERS
                && !"false".equals(System.getProperty("distill.channelsLast"));
    }

    /** For the network a stage trains. */
    static boolean channelsLast(Device device, StageJobModel model, int classes) {
        return model.getArchitecture().builtin()
                && channelsLast(device, model.getArchitecture(), model.getDepth(), model.getWidth(), classes);
    }

    /** For a network read from a model.json (a teacher, a pretrained stage). */
    static boolean channelsLast(Device device, ModelInfo info) {
        return channelsLast(device, Architecture.fromValue(info.architecture()), info.depth(), info.width(), info.classes());
    }

    /** A TorchScript network's convolutions are unknown: it takes batches in NCHW order, as PyTorch gives them by default. */
    private static boolean channelsLast(Device device, Architecture architecture, int depth, double width, int classes) {
        return architecture.builtin() && channelsLast(device, Models.narrowestConvolution(architecture, depth, width, classes));
    }
}
