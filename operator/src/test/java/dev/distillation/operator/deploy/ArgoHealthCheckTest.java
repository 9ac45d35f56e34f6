package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.status.StatusAggregator;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health check (charts/distillation-operator/argocd/health.lua) in a Lua
 * interpreter against chains whose status comes from the operator's own StatusAggregator, the
 * way Argo CD runs it: the resource as the global {@code obj}, the script returning {status, message}.
 */
class ArgoHealthCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String UNSCHEDULABLE =
            "Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";

    record Health(String status, String message) {}

    @Test
    void aChainTheOperatorHasNotSeenYetIsProgressing() throws Exception {
        DistillationChain chain = chain(1);
        chain.setStatus(null);

        assertThat(health(chain)).isEqualTo(new Health("Progressing", "waiting for the operator to observe generation 1"));
    }

    @Test
    void aStatusOfAnOlderGenerationSaysNothingAboutTheNewSpecEvenIfItSucceeded() throws Exception {
        DistillationChain chain = chain(2);
        chain.setStatus(StatusAggregator.aggregate(chain, allSucceeded(), NOW));
        chain.getMetadata().setGeneration(3L); // the user edited the spec; the operator has not reconciled it yet

        assertThat(health(chain)).isEqualTo(new Health("Progressing", "waiting for the operator to observe generation 3"));
    }

    @Test
    void aSucceededChainIsHealthyWithItsSummary() throws Exception {
        DistillationChain chain = chain(4);
        chain.setStatus(StatusAggregator.aggregate(chain, allSucceeded(), NOW));

        assertThat(chain.getStatus().getPhase().name()).isEqualTo("Succeeded");
        assertThat(health(chain)).isEqualTo(new Health("Healthy",
                "student 84.1% (teacher 91.2%, student-direct 83.2%, student-alone 82.0%)"));
    }

    @Test
    void aSucceededChainStaysHealthyWhenSuspendedAfterwards() throws Exception {
        DistillationChain chain = chain(4);
        chain.getSpec().setSuspend(true);
        chain.setStatus(StatusAggregator.aggregate(chain, allSucceeded(), NOW));

        assertThat(health(chain).status()).isEqualTo("Healthy");
    }

    @Test
    void aFailedChainIsDegradedWithTheFailedStagesMessage() throws Exception {
        DistillationChain chain = chain(1);
        List<StageStatus> stages = stages(StagePhase.Succeeded, StagePhase.Failed, StagePhase.Skipped,
                StagePhase.Running, StagePhase.Succeeded);
        stages.get(1).setMessage("trainer exited with code 1: CUDA out of memory");
        chain.setStatus(StatusAggregator.aggregate(chain, stages, NOW));

        assertThat(chain.getStatus().getPhase().name()).isEqualTo("Failed");
        assertThat(health(chain)).isEqualTo(new Health("Degraded",
                "stage assistant: trainer exited with code 1: CUDA out of memory"));
    }

    @Test
    void anInvalidChainIsDegradedWithTheValidConditionsMessage() throws Exception {
        DistillationChain chain = chain(2);
        chain.getSpec().getStages().get(1).getModel().setDepth(5);
        List<ValidationError> errors = ChainValidator.validate(chain);
        assertThat(errors).isNotEmpty();
        chain.setStatus(StatusAggregator.invalid(chain, errors, StatusAggregator.InvalidReason.InvalidSpec, NOW));

        Health health = health(chain);
        assertThat(health.status()).isEqualTo("Degraded");
        assertThat(health.message()).contains("spec.stages[1].model.depth").contains("plain-cnn depth must be one of 2, 4, 6, 8, 10");
        String validMessage = chain.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Valid")).findFirst().orElseThrow().getMessage();
        assertThat(health.message()).isEqualTo(validMessage);
    }

    @Test
    void aSuspendedChainIsSuspended() throws Exception {
        DistillationChain chain = chain(5);
        chain.getSpec().setSuspend(true);
        chain.setStatus(StatusAggregator.aggregate(chain,
                stages(StagePhase.Succeeded, StagePhase.Waiting, StagePhase.Waiting, StagePhase.Waiting, StagePhase.Succeeded), NOW));

        assertThat(chain.getStatus().getPhase().name()).isEqualTo("Suspended");
        assertThat(health(chain)).isEqualTo(new Health("Suspended", "suspended at stage 2/5"));
    }

    @Test
    void aPendingChainIsProgressingAndShowsWhyItsStageCannotStart() throws Exception {
        DistillationChain chain = chain(1);
        List<StageStatus> stages = stages(StagePhase.Pending, StagePhase.Waiting, StagePhase.Waiting,
                StagePhase.Waiting, StagePhase.Waiting);
        stages.get(0).setMessage(UNSCHEDULABLE);
        chain.setStatus(StatusAggregator.aggregate(chain, stages, NOW));

        assertThat(chain.getStatus().getPhase().name()).isEqualTo("Pending");
        assertThat(health(chain)).isEqualTo(new Health("Progressing", "stage 0/5, active: teacher (" + UNSCHEDULABLE + ")"));
    }

    @Test
    void aRunningChainIsProgressingWithStageKOfNAndTheActiveStages() throws Exception {
        DistillationChain chain = chain(1);
        chain.setStatus(StatusAggregator.aggregate(chain,
                stages(StagePhase.Succeeded, StagePhase.Running, StagePhase.Waiting, StagePhase.Waiting, StagePhase.Running), NOW));

        assertThat(chain.getStatus().getPhase().name()).isEqualTo("Running");
        assertThat(health(chain)).isEqualTo(new Health("Progressing", "stage 1/5, active: assistant,student-alone"));
    }

    @Test
    void withoutProgressFieldsTheCheckCountsTheStagesItself() throws Exception {
        DistillationChain chain = chain(1);
        DistillationChainStatus status = StatusAggregator.aggregate(chain,
                stages(StagePhase.Succeeded, StagePhase.Succeeded, StagePhase.Running, StagePhase.Waiting, StagePhase.Succeeded), NOW);
        status.setProgress(null);
        status.setActiveStages(null);
        chain.setStatus(status);

        assertThat(health(chain)).isEqualTo(new Health("Progressing", "stage 3/5, active: student"));
    }

    // ---- fixtures: the paper's chain (examples/cifar10-plain-cnn.yaml) and its stage statuses ----

    private static DistillationChain chain(long generation) throws Exception {
        DistillationChain chain = ChainYaml.read(Repo.root().resolve("examples/cifar10-plain-cnn.yaml"));
        chain.getMetadata().setNamespace("ml");
        chain.getMetadata().setGeneration(generation);
        return chain;
    }

    private static final List<String> NAMES = List.of("teacher", "assistant", "student", "student-direct", "student-alone");
    private static final Map<String, Double> ACCURACY = Map.of("teacher", 0.912, "assistant", 0.874, "student", 0.841,
            "student-direct", 0.832, "student-alone", 0.820);

    private static List<StageStatus> allSucceeded() {
        return stages(StagePhase.Succeeded, StagePhase.Succeeded, StagePhase.Succeeded, StagePhase.Succeeded, StagePhase.Succeeded);
    }

    /** One status per stage of the chain, in spec order, as the operator records them. */
    private static List<StageStatus> stages(StagePhase... phases) {
        List<StageStatus> out = new ArrayList<>();
        for (int i = 0; i < phases.length; i++) {
            String name = NAMES.get(i);
            StageStatus s = new StageStatus();
            s.setName(name);
            s.setPhase(phases[i]);
            if (phases[i] != StagePhase.Waiting && phases[i] != StagePhase.Skipped) {
                s.setPod("cifar10-plain-cnn-" + name + "-a1");
                s.setAttempts(1);
                s.setStartTime("2026-11-24T08:00:00Z");
            }
            if (phases[i] == StagePhase.Succeeded) {
                s.setCompletionTime("2026-11-24T09:00:00Z");
                StageMetrics m = new StageMetrics();
                m.setTestAccuracy(ACCURACY.get(name));
                m.setTestLoss(0.4);
                m.setEpochs(150);
                m.setTrainSeconds(3600.0);
                s.setMetrics(m);
            }
            out.add(s);
        }
        return out;
    }

    // ---- the Lua side ----

    private static Health health(DistillationChain chain) throws Exception {
        JsonNode json = new ObjectMapper().valueToTree(chain);
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(json));
        String script = Files.readString(Repo.chart().resolve("argocd/health.lua"));
        LuaValue result = globals.load(script, "health.lua").call();
        assertThat(result.istable()).as("health.lua returns a table").isTrue();
        return new Health(result.get("status").tojstring(), result.get("message").tojstring());
    }

    /** JSON as Argo CD hands it to Lua: objects and arrays become tables (arrays 1-based), null is absent. */
    static LuaValue lua(JsonNode n) {
        if (n.isObject()) {
            LuaTable t = new LuaTable();
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    t.set(e.getKey(), lua(e.getValue()));
                }
            });
            return t;
        }
        if (n.isArray()) {
            LuaTable t = new LuaTable();
            int i = 1;
            for (JsonNode item : n) {
                t.set(i++, lua(item));
            }
            return t;
        }
        if (n.isBoolean()) {
            return LuaValue.valueOf(n.booleanValue());
        }
        if (n.isNumber()) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return n.isNull() ? LuaValue.NIL : LuaValue.valueOf(n.asText());
    }
}
