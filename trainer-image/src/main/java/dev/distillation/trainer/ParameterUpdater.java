package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.distillation.api.v1alpha1.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum, or Adam, applied to a block's trainable parameters with libtorch's fused
 * update kernels (one native call per parameter, gradients zeroed by the same call). Unlike DJL's
 * {@code Trainer}, it keeps its state (momentum buffers; Adam's moments and step count) where a
 * checkpoint can save and restore it, so a resumed stage continues exactly where it stopped.
 *
 * <p>SGD: {@code v = μ·v + lr·(g + wd·w); w = w − v} (PyTorch's form scaled by lr; identical while
 * lr is constant). Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8, L2 weight decay added to the gradient,
 * bias-corrected step size.
 */
final class ParameterUpdater {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final Optimizer kind;
    private final float momentum;
    private final float weightDecay;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> state1 = new ArrayList<>();
    private final List<NDArray> state2 = new ArrayList<>();
    private long steps;

    ParameterUpdater(Block block, NDManager stateManager, Optimizer kind, double momentum, double weightDecay) {
        this.kind = kind;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray w = p.getValue().getArray();
                params.add(p.getValue());
                if (kind == Optimizer.ADAM || this.momentum != 0f) {
                    state1.add(stateManager.zeros(w.getShape(), w.getDataType()));
                }
                if (kind == Optimizer.ADAM) {
                    state2.add(stateManager.zeros(w.getShape(), w.getDataType()));
                }
            }
        }
    }

    /** Applies one update with learning rate {@code lr} to every parameter and zeroes the gradients. */
    void step(double lr) {
        steps++;
        float rate = (float) lr;
        float corrected = kind == Optimizer.ADAM
                ? (float) (lr * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)))
                : 0f;
        for (int i = 0; i < params.size(); i++) {
            // fetched every step: loading a checkpoint replaces a parameter's array
            NDArray w = params.get(i).getArray();
            NDArray g = w.getGradient();
            try {
                NDList out = new NDList(w);
                if (kind == Optimizer.ADAM) {
                    w.getNDArrayInternal().adamUpdate(new NDList(w, g, state1.get(i), state2.get(i)), out,
                            rate, corrected, weightDecay, 1f, -1f, BETA1, BETA2, EPS, false, false);
                } else {
                    NDList in = momentum != 0f ? new NDList(w, g, state1.get(i)) : new NDList(w, g);
                    w.getNDArrayInternal().sgdUpdate(in, out, rate, weightDecay, 1f, -1f, momentum, false);
                }
            } finally {
                g.close();
            }
        }
    }

    /**
     * Scales every gradient by {@code maxNorm / norm} when their global L2 norm exceeds {@code maxNorm}
     * (PyTorch's {@code clip_grad_norm_}); returns the norm before clipping. {@code maxNorm <= 0} clips
     * nothing and computes nothing.
     */
    double clipGradients(double maxNorm) {
        if (maxNorm <= 0) {
            return Double.NaN;
        }
        double squares = 0;
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient(); NDArray s = g.square().sum()) {
                squares += s.getFloat();
            }
        }
        double norm = Math.sqrt(squares);
        if (norm > maxNorm) {
            // in place and outside any graph autograd follows: the number's temporary array is not kept
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : params) {
                try (NDArray g = p.getArray().getGradient()) {
                    g.muli(scale);
                }
            }
        }
        return norm;
    }

    /**
     * Takes the block's parameters again after loading a checkpoint replaced them (a TorchScript
     * module is replaced whole); the optimiser state stays, matched by position.
     */
    void rebind(Block block) {
        List<Parameter> now = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                now.add(p.getValue());
            }
        }
        if (now.size() != params.size()) {
            throw new IllegalStateException("the checkpoint's network has " + now.size() + " trainable parameters, this one " + params.size());
        }
        params.clear();
        params.addAll(now);
    }

    /** Marks every trainable array as needing a gradient (arrays loaded from a file may not be). */
    void attachGradients() {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (!w.hasGradient()) {
                w.setRequiresGradient(true);
            }
        }
    }

    long steps() {
        return steps;
    }

    /** The optimiser state in a fixed order (for checkpoints). */
    NDList state() {
        NDList list = new NDList();
        list.addAll(state1);
        list.addAll(state2);
        return list;
    }

    /** Restores a state saved by {@link #state()} after {@code steps} updates; false when it does not fit. */
    boolean restore(NDList saved, long steps) {
        if (saved.size() != state1.size() + state2.size()) {
            return false;
        }
        for (int i = 0; i < saved.size(); i++) {
            NDArray target = i < state1.size() ? state1.get(i) : state2.get(i - state1.size());
            if (!target.getShape().equals(saved.get(i).getShape())) {
                return false;
            }
        }
        for (int i = 0; i < saved.size(); i++) {
            NDArray target = i < state1.size() ? state1.get(i) : state2.get(i - state1.size());
            saved.get(i).copyTo(target);
        }
        this.steps = steps;
        return true;
    }
}
