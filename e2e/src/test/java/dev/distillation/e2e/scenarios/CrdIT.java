package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 1: the committed CRD installs into a real API server and explains itself. */
@ClusterTest
class CrdIT {

    private final TestCluster cluster;

    CrdIT(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void crdIsEstablishedWithStatusSubresourceAndPrinterColumns() {
        CustomResourceDefinition crd = cluster.admin().apiextensions().v1().customResourceDefinitions()
                .withName("distillationchains.distillation.dev").get();
        assertThat(crd.getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Established");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("dchain");
        CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
        assertThat(v1alpha1.getName()).isEqualTo("v1alpha1");
        assertThat(v1alpha1.getSubresources().getStatus()).isNotNull();
        assertThat(v1alpha1.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Phase", "Stage", "Done", "Training", "Best", "Age");
    }

    @Test
    void kubectlExplainDescribesTheStages() {
        String explain = cluster.kubectl("explain", "dchain.spec.stages");
        assertThat(explain)
                .contains("teachers before their students")
                .contains("teacher")
                .contains("Name of an earlier stage this stage distills from");
        assertThat(cluster.kubectl("explain", "dchain.spec.training.alpha"))
                .contains("Weight of the soft (distillation) term");
        assertThat(cluster.kubectl("explain", "dchain.status.stages.metrics"))
                .contains("testAccuracy");
    }
}
