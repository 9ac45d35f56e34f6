package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A training step's forward and backward pass over several devices, as {@code torch.nn.DataParallel}
 * does it: the batch (images, one-hot labels, teacher logits) is cut into contiguous shards
 * ({@link Shards}), shard i runs forward, loss and backward on device i against that device's
 * replica of the parameters (shard 0 against the master parameters themselves), each shard's loss
 * weighted by its share of the batch, so that the gradients summed into the master's equal those of
 * the whole batch's mean loss (for a network without BatchNorm; with it each shard is normalised
 * with its own statistics). The caller then updates the master parameters and calls
 * {@link #refresh()}, which copies the master's weights and BatchNorm running statistics to every
 * replica: the running statistics the other replicas computed are discarded, so the master's are
 * those of shard 0 alone, as with DataParallel.
 *
 * <p>Devices may repeat (several replicas on one device), which is how the step is tested on a CPU.
 * The shards run one after the other from this thread; on GPUs their kernels are queued
 * asynchronously, so the devices overlap until the loss values are read.
 */
final class DataParallel {

    private final Block block;
    private final ParameterStore master;
    private final Device first;
    private final List<ReplicaStore> replicas = new ArrayList<>();

    /** Replicas of {@code block}'s parameters on {@code devices} after the first (the master's device, which {@code master} serves). */
    DataParallel(Block block, ParameterStore master, NDManager owner, List<Device> devices) {
        this.block = block;
        this.master = master;
        this.first = devices.get(0);
        for (Device d : devices.subList(1, devices.size())) {
            replicas.add(new ReplicaStore(block, owner, d));
        }
    }

    /**
     * The devices a network trains on: all of {@code visible} for a built-in network; only the first for
     * a TorchScript one, whose module lives on one device and ignores the replicas' parameters.
     */
    static List<Device> devices(List<Device> visible, boolean builtin) {
        return builtin ? visible : visible.subList(0, 1);
    }

    /** The devices the step trains on, e.g. "gpu(0),gpu(1)". */
    static String describe(List<Device> devices) {
        return devices.stream().map(Device::toString).collect(Collectors.joining(","));
    }

    /** One shard's logits (on its device) and where its images start in the batch. */
    record Shard(NDArray logits, int offset, int size) {}

    /** A step's shards and its loss: the batch's mean loss (shard losses weighted by their share). */
    record Pass(List<Shard> shards, double loss) {

        /** The whole batch's logits on {@code device} (for a diverged step's report). */
        NDArray logitsOn(Device device) {
            NDList parts = new NDList();
            for (Shard s : shards) {
                parts.add(s.logits().toDevice(device, false));
            }
            return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
        }
    }

    /**
     * Forward, loss and backward of one batch over the devices, the replicas' gradients summed into the
     * master parameters'; {@code x}, {@code oneHot} and {@code teacherLogits} (null without a teacher)
     * lie on the first device. Arrays made here belong to {@code x}'s manager.
     */
    Pass forwardBackward(NDArray x, NDArray oneHot, NDArray teacherLogits, double temperature, double alpha) {
        int batch = Math.toIntExact(x.getShape().get(0));
        int[] sizes = Shards.sizes(batch, replicas.size() + 1);
        NDArray[] xs = new NDArray[sizes.length];
        NDArray[] ys = new NDArray[sizes.length];
        NDArray[] ts = new NDArray[sizes.length];
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            Device d = i == 0 ? first : replicas.get(i - 1).device();
            if (sizes.length == 1) {
                // one device, or a batch too small to split: the arrays as they are, no copies
                xs[i] = x;
                ys[i] = oneHot;
                ts[i] = teacherLogits;
            } else {
                NDIndex rows = new NDIndex("{}:{}", offset, offset + sizes[i]);
                xs[i] = x.get(rows).toDevice(d, false);
                ys[i] = oneHot.get(rows).toDevice(d, false);
                ts[i] = teacherLogits == null ? null : teacherLogits.get(rows).toDevice(d, false);
            }
            offset += sizes[i];
        }
        List<Shard> shards = new ArrayList<>(sizes.length);
        List<NDArray> losses = new ArrayList<>(sizes.length);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            offset = 0;
            for (int i = 0; i < sizes.length; i++) {
                ParameterStore store = i == 0 ? master : replicas.get(i - 1);
                NDArray logits = Forward.run(block, store, xs[i], true);
                NDArray loss = KdLoss.loss(logits, ys[i], ts[i], temperature, alpha);
                if (sizes.length > 1) {
                    loss = loss.mul(KdLoss.scalar(logits.getManager(), (double) sizes[i] / batch));
                }
                collector.backward(loss);
                shards.add(new Shard(logits, offset, sizes[i]));
                losses.add(loss);
                offset += sizes[i];
            }
        }
        for (int i = 1; i < sizes.length; i++) {
            replicas.get(i - 1).addGradientsToMaster();
        }
        double total = 0;
        for (NDArray loss : losses) {
            total += KdLoss.value(loss);
        }
        return new Pass(shards, total);
    }

    /** Copies the master parameters (weights and BatchNorm running statistics) to every replica, after an update. */
    void refresh() {
        for (ReplicaStore r : replicas) {
            r.refresh();
        }
    }

    /** The replica stores after the master's (for tests). */
    List<ReplicaStore> replicas() {
        return replicas;
    }
}
