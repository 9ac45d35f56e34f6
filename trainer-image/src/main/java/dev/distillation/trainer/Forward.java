package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * A network's forward pass that lets go of every intermediate array as soon as the next layer has
 * read it, as PyTorch eager does.
 *
 * <p>DJL attaches each op's result to the manager of its first input and frees it only when that
 * manager closes, so {@code block.forward(...)} inside a step keeps every activation of every
 * layer alive until the step ends: in inference all of them at once (at a batch of 500 a 10-layer
 * plain CNN holds ~700 MB where PyTorch holds two layers), and in training every activation stays
 * until after the update, where PyTorch frees each one as backward passes it. Here each leaf layer
 * runs in its own sub-manager, its output moves to the caller's manager, and the previous layer's
 * output is closed once the next one has run. Closing only drops this program's handle: autograd
 * holds its own reference to whatever backward needs, and frees it when backward is done with it.
 */
final class Forward {

    private Forward() {}

    /** The output of {@code block} for {@code x}; the result belongs to {@code x}'s manager, and {@code x} stays open. */
    static NDArray run(Block block, ParameterStore store, NDArray x, boolean training) {
        NDList in = new NDList(x);
        NDList out = run(block, store, in, training, x.getManager());
        return out.singletonOrThrow();
    }

    private static NDList run(Block block, ParameterStore store, NDList in, boolean training, NDManager owner) {
        if (block instanceof SequentialBlock) {
            NDList current = in;
            for (Pair<String, Block> child : block.getChildren()) {
                NDList next = run(child.getValue(), store, current, training, owner);
                if (current != in) {
                    closeUnless(current, next);
                }
                current = next;
            }
            return current;
        }
        try (NDManager scope = owner.newSubManager()) {
            in.tempAttach(scope);
            NDList out = block.forward(store, in, training);
            for (NDArray a : out) {
                if (!holds(in, a)) {
                    a.attach(owner);
                }
            }
            return out;
        }
    }

    /** Whether {@code list} holds this very array (NDList.contains compares contents: PtNDArray's equals). */
    private static boolean holds(NDList list, NDArray array) {
        for (NDArray a : list) {
            if (a == array) {
                return true;
            }
        }
        return false;
    }

    /** Closes the arrays of {@code done} that {@code next} did not pass through (an identity layer returns its input). */
    private static void closeUnless(NDList done, NDList next) {
        for (NDArray a : done) {
            if (!holds(next, a)) {
                a.close();
            }
        }
    }
}
