package dev.distillation.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.Retain;
import dev.distillation.api.v1alpha1.StorageSpec;
import dev.distillation.operator.TestChains;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageVolumeBuilderTest {

    @Test
    void nameSizeClassAccessModeAndLabels() {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().getStorage().setStorageClassName("fast");

        PersistentVolumeClaim pvc = StageVolumeBuilder.build(chain, "assistant");

        assertThat(pvc.getMetadata().getName()).isEqualTo("cifar10-plain-cnn-assistant");
        assertThat(pvc.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(pvc.getMetadata().getLabels()).containsEntry("distillation.dev/chain", "cifar10-plain-cnn")
                .containsEntry("distillation.dev/stage", "assistant")
                .containsEntry("app.kubernetes.io/managed-by", "distillation-operator");
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
        assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
    }

    @Test
    void accessModesAreTheChainsWhenItSetsThem() {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().getStorage().setAccessModes(java.util.List.of(dev.distillation.api.v1alpha1.AccessMode.READ_WRITE_ONCE,
                dev.distillation.api.v1alpha1.AccessMode.READ_ONLY_MANY));
        assertThat(StageVolumeBuilder.build(chain, "teacher").getSpec().getAccessModes()).containsExactly("ReadWriteOnce", "ReadOnlyMany");
    }

    @Test
    void defaultsWithoutStorageSpec() {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().setStorage(null);

        PersistentVolumeClaim pvc = StageVolumeBuilder.build(chain, "teacher");

        assertThat(pvc.getSpec().getStorageClassName()).isNull();
        assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(pvc.getMetadata().getOwnerReferences()).as("retain Final: the teacher goes with the chain").hasSize(1);
        assertThat(StageVolumeBuilder.build(chain, "student").getMetadata().getOwnerReferences()).as("a leaf outlives it").isEmpty();
    }

    @ParameterizedTest(name = "retain {0}: {1} owned={2}")
    @CsvSource({
            "All,   teacher,        false",
            "All,   student,        false",
            "Final, teacher,        true",
            "Final, assistant,      true",
            "Final, student,        false",
            "Final, student-alone,  false",
            "None,  teacher,        true",
            "None,  student,        true",
    })
    void retainDecidesWhichVolumesTheChainOwns(String retain, String stage, boolean owned) {
        DistillationChain chain = TestChains.paper();
        StorageSpec storage = new StorageSpec();
        storage.setRetain(Retain.fromValue(retain));
        chain.getSpec().setStorage(storage);

        PersistentVolumeClaim pvc = StageVolumeBuilder.build(chain, stage);

        assertThat(!pvc.getMetadata().getOwnerReferences().isEmpty()).isEqualTo(owned);
    }

    @ParameterizedTest(name = "retain Final: {0} owned={1}")
    @CsvSource({
            "assistant-d4-w1-t2-a0.9, true",  // a candidate of a stage others learn from goes with the chain, chosen or not
            "student-d2-w1-t2-a0.9,   false", // a candidate of a leaf is kept like the leaf
            "student-d2-w1-t4-a0.9,   false",
    })
    void aCandidatesVolumeIsKeptOrNotLikeTheStageThatListsIt(String candidate, boolean owned) {
        DistillationChain chain = TestChains.paper();
        StorageSpec storage = new StorageSpec();
        storage.setRetain(Retain.FINAL);
        chain.getSpec().setStorage(storage);
        chain.getSpec().getDataset().setValidation(new dev.distillation.api.v1alpha1.ValidationSplit(1000, null));
        for (String stage : java.util.List.of("assistant", "student")) {
            var s = chain.getSpec().getStages().stream().filter(x -> x.getName().equals(stage)).findFirst().orElseThrow();
            s.setCandidates(new dev.distillation.api.v1alpha1.CandidatesSpec(null, java.util.List.of(2.0, 4.0), java.util.List.of(0.9)));
        }

        PersistentVolumeClaim pvc = StageVolumeBuilder.build(chain, candidate);

        assertThat(!pvc.getMetadata().getOwnerReferences().isEmpty()).isEqualTo(owned);
    }
}
