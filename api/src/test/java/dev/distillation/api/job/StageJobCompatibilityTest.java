package dev.distillation.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainYaml;
import dev.distillation.api.Fixtures;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * StageJobs written by earlier operators, committed under {@code src/test/resources/stagejobs/}
 * (file name: contract version, writer, example chain, stage): each must still be read, and mean
 * what the current operator would write for the same stage of the same example (settings added since
 * read as they were then: off). A change that
 * breaks a row breaks trainers that run beside an older operator, or the reverse.
 */
class StageJobCompatibilityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // written by operator 0.1.0: no model.width when the chain sets none
            "v1-operator-0.1.0-quickstart-teacher.json, quickstart, teacher",
            "v1-operator-0.1.0-quickstart-assistant.json, quickstart, assistant",
            "v1-operator-0.1.0-pretrained-teacher-teacher.json, pretrained-teacher, teacher",
            "v1-operator-0.1.0-cifar10-plain-cnn-student.json, cifar10-plain-cnn, student",
    })
    void olderStageJobsAreReadAndMeanWhatTheyMeantThen(String file, String example, String stageName) throws Exception {
        StageJob old = StageJobCodec.read(Fixtures.path("stagejobs/" + file));

        DistillationChain chain = ChainYaml.read(Path.of("..", "examples", example + ".yaml"));
        DistillationChainSpec spec = chain.getSpec();
        StageSpec stage = Fixtures.stage(chain, stageName);
        StageJob now = StageJobFactory.create(spec, chain.getMetadata().getName(), stageName, Fingerprints.of(spec).get(stageName),
                StageJobFactory.Paths.inPod(spec, stage));

        // everything as written then, but the settings added since: absent, they read as off (no warmup,
        // no clipping), as the trainers of then trained; and the fingerprint, which covers the defaults now in force
        assertThat(old.training().getWarmupEpochs()).isZero();
        assertThat(old.training().getGradientClipNorm()).isZero();
        assertThat(old).usingRecursiveComparison()
                .ignoringFields("fingerprint", "training.warmupEpochs", "training.gradientClipNorm").isEqualTo(now);
    }
}
