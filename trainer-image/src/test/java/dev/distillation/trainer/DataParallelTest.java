package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.Optimizer;
import dev.distillation.trainer.model.Models;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DataParallel} with two and three replicas, all on the CPU (replicas may share a device): on a
 * network without BatchNorm its steps must move the parameters exactly as single-device steps on the
 * whole batches do; with BatchNorm every replica must hold the master's weights and running statistics
 * after a step, and the master's running statistics must be those of shard 0 alone (DataParallel's rule).
 */
class DataParallelTest {

    private static final long[] INPUT = {2, 3, 3};
    private static final long[] CNN_INPUT = {3, 8, 8};
    private static final int CLASSES = 4;
    private static final double TEMPERATURE = 4;
    private static final double ALPHA = 0.5;

    @BeforeAll
    static void engine() throws TrainerException {
        Engines.pytorch(1);
    }

    @Test
    void stepsOverSeveralReplicasMoveTheParametersAsWholeBatchStepsDo() {
        // 7 does not divide evenly over 2 (4 + 3) or 3 (3 + 2 + 2); 5 leaves the third replica out (3 + 2)
        int[] batches = {8, 7, 5};
        List<float[]> initial;
        List<float[]> single;
        List<Double> singleLosses = new ArrayList<>();
        try (Model reference = linearNetwork()) {
            initial = values(reference.getBlock());
            singleLosses.addAll(train(reference, 1, batches));
            single = values(reference.getBlock());
        }
        assertNotClose(single, initial); // the steps moved the parameters: the comparison below means something
        for (int replicas : new int[] {2, 3}) {
            try (Model model = linearNetwork()) {
                List<Double> losses = train(model, replicas, batches);
                List<float[]> parallel = values(model.getBlock());
                assertClose(parallel, single, replicas + " replicas");
                for (int i = 0; i < losses.size(); i++) {
                    assertThat(losses.get(i)).as("loss of step %d over %d replicas", i + 1, replicas)
                            .isCloseTo(singleLosses.get(i), within(1e-5 * Math.abs(singleLosses.get(i))));
                }
            }
        }
    }

    @Test
    void afterAStepEveryReplicaHoldsTheMastersWeightsAndShardZerosRunningStatistics() {
        int batch = 7;
        int[] shard0 = {0, 3}; // 7 over 3 replicas: 3 + 2 + 2
        try (Model model = plainCnn(); Model shardZeroOnly = plainCnn(); Model wholeBatch = plainCnn()) {
            NDManager manager = model.getNDManager();
            Block block = model.getBlock();
            ParameterUpdater updater = new ParameterUpdater(block, manager, Optimizer.SGD, 0.9, 5e-4);
            DataParallel parallel = new DataParallel(block, new ParameterStore(manager, false), manager,
                    Collections.nCopies(3, Device.cpu()));
            try (NDManager step = manager.newSubManager()) {
                SplittableRandom random = new SplittableRandom(7);
                NDArray x = images(step, CNN_INPUT, batch, random);
                NDArray y = oneHot(step, batch, random);
                DataParallel.Pass pass = parallel.forwardBackward(x, y, null, TEMPERATURE, ALPHA);
                assertThat(pass.shards()).hasSize(3);
                // each replica updated its own running statistics from its own shard
                for (ReplicaStore r : parallel.replicas()) {
                    assertNotClose(runningStats(block, r), runningStats(block, null));
                }
                updater.step(0.1);
                parallel.refresh();

                List<float[]> master = values(block);
                for (ReplicaStore r : parallel.replicas()) {
                    assertClose(replicaValues(block, r), master, "replica");
                }

                forwardInTraining(shardZeroOnly, x.get(new NDIndex("{}:{}", shard0[0], shard0[1])));
                forwardInTraining(wholeBatch, x);
            }
            List<float[]> masterStats = runningStats(block, null);
            assertClose(masterStats, runningStats(shardZeroOnly.getBlock(), null), "master's running statistics");
            assertNotClose(masterStats, runningStats(wholeBatch.getBlock(), null));
        }
    }

    @Test
    void aBuiltInNetworkTrainsOnEveryDeviceATorchScriptOneOnTheFirstAndTheMetricsNameThem() {
        List<Device> two = List.of(Device.gpu(0), Device.gpu(1));
        assertThat(DataParallel.devices(two, true)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(DataParallel.devices(two, false)).containsExactly(Device.gpu(0));
        assertThat(DataParallel.describe(two)).isEqualTo("gpu(0),gpu(1)");
        assertThat(DataParallel.describe(List.of(Device.cpu()))).isEqualTo("cpu()");
    }

    /** Steps of SGD with momentum and weight decay over batches of the given sizes; the losses the steps report. */
    private static List<Double> train(Model model, int replicas, int[] batches) {
        NDManager manager = model.getNDManager();
        Block block = model.getBlock();
        ParameterUpdater updater = new ParameterUpdater(block, manager, Optimizer.SGD, 0.9, 1e-3);
        DataParallel parallel = new DataParallel(block, new ParameterStore(manager, false), manager,
                Collections.nCopies(replicas, Device.cpu()));
        SplittableRandom random = new SplittableRandom(42);
        List<Double> losses = new ArrayList<>();
        for (int b : batches) {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = images(step, INPUT, b, random);
                NDArray y = oneHot(step, b, random);
                NDArray teacher = step.create(floats(b * CLASSES, random, 3), new Shape(b, CLASSES));
                DataParallel.Pass pass = parallel.forwardBackward(x, y, teacher, TEMPERATURE, ALPHA);
                losses.add(pass.loss());
                updater.step(0.5);
                parallel.refresh();
            }
        }
        return losses;
    }

    private static Model linearNetwork() {
        Model model = Model.newInstance("dp-linear", Device.cpu(), "PyTorch");
        SequentialBlock block = new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
        model.setBlock(block);
        model.setDataType(DataType.FLOAT32);
        Models.initialize(block, model.getNDManager(), INPUT, 11);
        return model;
    }

    private static Model plainCnn() {
        Model model = Model.newInstance("dp-cnn", Device.cpu(), "PyTorch");
        Block block = Models.build(Architecture.PLAIN_CNN, 2, 0.25, CLASSES);
        model.setBlock(block);
        model.setDataType(DataType.FLOAT32);
        Models.initialize(block, model.getNDManager(), CNN_INPUT, 5);
        return model;
    }

    /** A batch of {@code b} random inputs of shape {@code chw}. */
    private static NDArray images(NDManager manager, long[] chw, int b, SplittableRandom random) {
        return manager.create(floats(Math.toIntExact(b * chw[0] * chw[1] * chw[2]), random, 2), new Shape(b, chw[0], chw[1], chw[2]));
    }

    private static NDArray oneHot(NDManager manager, int b, SplittableRandom random) {
        float[] v = new float[b * CLASSES];
        for (int i = 0; i < b; i++) {
            v[i * CLASSES + random.nextInt(CLASSES)] = 1f;
        }
        return manager.create(v, new Shape(b, CLASSES));
    }

    private static float[] floats(int n, SplittableRandom random, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static void forwardInTraining(Model model, NDArray x) {
        Forward.run(model.getBlock(), new ParameterStore(model.getNDManager(), false), x, true);
    }

    /** Every parameter's values (weights, biases, BatchNorm scale, shift and running statistics). */
    private static List<float[]> values(Block block) {
        List<float[]> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            all.add(p.getValue().getArray().toFloatArray());
        }
        return all;
    }

    private static List<float[]> replicaValues(Block block, ReplicaStore replica) {
        List<float[]> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            all.add(replica.getValue(p.getValue(), Device.cpu(), true).toFloatArray());
        }
        return all;
    }

    /** The BatchNorm running means and variances, the master's ({@code replica} null) or a replica's. */
    private static List<float[]> runningStats(Block block, ReplicaStore replica) {
        List<float[]> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                NDArray a = replica == null ? p.getValue().getArray() : replica.getValue(p.getValue(), Device.cpu(), true);
                all.add(a.toFloatArray());
            }
        }
        assertThat(all).as("running statistics").isNotEmpty();
        return all;
    }

    private static void assertClose(List<float[]> actual, List<float[]> expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            float[] a = actual.get(i);
            float[] e = expected.get(i);
            assertThat(a).hasSameSizeAs(e);
            for (int j = 0; j < a.length; j++) {
                double tolerance = 1e-6 + 1e-5 * Math.abs(e[j]);
                assertThat((double) Math.abs(a[j] - e[j])).as("%s: array %d, element %d (%s vs %s)", what, i, j, a[j], e[j])
                        .isLessThanOrEqualTo(tolerance);
            }
        }
    }

    private static void assertNotClose(List<float[]> actual, List<float[]> other) {
        double largest = 0;
        for (int i = 0; i < actual.size(); i++) {
            for (int j = 0; j < actual.get(i).length; j++) {
                largest = Math.max(largest, Math.abs((double) actual.get(i)[j] - other.get(i)[j]));
            }
        }
        assertThat(largest).as("largest difference").isGreaterThan(1e-3);
    }
}
