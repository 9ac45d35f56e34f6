package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * One replica of a network's parameters (weights and BatchNorm running statistics) for data-parallel
 * training: a copy of every parameter array on the replica's device, handed to the block's forward
 * pass in place of the master arrays. Replicas may share a device with the master or with each other
 * (each holds its own copies), so the data-parallel step runs the same on one CPU as on several GPUs.
 *
 * <p>{@link #refresh} replaces every copy with the master's current values: after each update, as
 * {@code torch.nn.DataParallel} replicates its module before every forward pass. Fresh copies also
 * start with empty gradients, so a replica's gradients never carry over from one step to the next.
 */
final class ReplicaStore extends ParameterStore {

    private final Block block;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new HashMap<>();

    /** A replica of {@code block}'s parameters on {@code device}; its arrays belong to a sub-manager of {@code owner}. */
    ReplicaStore(Block block, NDManager owner, Device device) {
        super(owner, true);
        this.block = block;
        this.device = device;
        this.manager = owner.newSubManager(device);
        refresh();
    }

    Device device() {
        return device;
    }

    /** Replaces every copy with the master parameters' current values (to be called outside a gradient collector). */
    void refresh() {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            NDArray master = parameter.getArray();
            // toDevice returns the array itself on its own device; a replica needs its own storage there
            NDArray copy;
            if (master.getDevice().equals(device)) {
                copy = master.duplicate();
                copy.attach(manager);
            } else {
                copy = copy(master, device, manager);
            }
            if (parameter.requiresGradient()) {
                copy.setRequiresGradient(true);
            }
            NDArray old = arrays.put(parameter.getId(), copy);
            if (old != null) {
                old.close();
            }
        }
    }

    /** The replica's copy of {@code parameter}, whatever device the caller names (the copy's device is this replica's). */
    @Override
    public NDArray getValue(Parameter parameter, Device ignored, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray array = arrays.get(parameter.getId());
        if (array == null) {
            throw new IllegalStateException("parameter " + parameter.getName() + " has no replica on " + device);
        }
        return array;
    }

    /** Adds this replica's gradients to the master parameters' gradients (on the master's device). */
    void addGradientsToMaster() {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray master = parameter.getArray();
            try (NDManager scope = manager.newSubManager();
                 NDArray own = arrays.get(parameter.getId()).getGradient();
                 NDArray target = master.getGradient()) {
                target.addi(own.getDevice().equals(master.getDevice()) ? own : copy(own, master.getDevice(), scope));
            }
        }
    }

    /**
     * A copy of {@code array} on another {@code device}, belonging to {@code owner}. PyTorch's copy comes in
     * a new sub-manager of {@code array}'s manager; that one is closed once empty, or every step would
     * leave one behind per parameter.
     */
    private static NDArray copy(NDArray array, Device device, NDManager owner) {
        NDArray copy = array.toDevice(device, false);
        NDManager made = copy.getManager();
        copy.attach(owner);
        if (made != array.getManager()) {
            made.close();
        }
        return copy;
    }
}
