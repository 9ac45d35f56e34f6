package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.InstalledOperator;
import dev.distillation.e2e.support.RealNode;
import dev.distillation.e2e.support.RealNodeTest;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The chart installs the operator as a user gets it: {@code helm install} with the operator image
 * built from operator/src/main/docker/Dockerfile.jvm, a Pod on the real node under the chart's
 * ServiceAccount whose probes pass, and a metrics Service that answers. Both of its namespaces
 * enforce the {@code restricted} Pod Security Standard, and the enforcement is real.
 */
@RealNodeTest
class ChartInstallIT {

    private final KubernetesClient admin;
    private final InstalledOperator operator;
    private final RealNode node;
    private final TestNamespace ns;

    ChartInstallIT(TestCluster cluster, InstalledOperator operator, RealNode node, TestNamespace ns) {
        this.admin = cluster.admin();
        this.operator = operator;
        this.node = node;
        this.ns = ns;
    }

    @Test
    void operatorRunsInAPodOnTheRealNodeUnderTheChartsServiceAccount() {
        Pod pod = operator.pod().orElseThrow();

        assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(operator.serviceAccount());
        assertThat(pod.getSpec().getVolumes()).as("the ServiceAccount token is mounted")
                .filteredOn(v -> v.getProjected() != null)
                .anySatisfy(v -> assertThat(v.getProjected().getSources()).anySatisfy(s -> assertThat(s.getServiceAccountToken()).isNotNull()));
        ContainerStatus c = pod.getStatus().getContainerStatuses().get(0);
        assertThat(c.getImage()).isEqualTo(node.operatorImage());
        assertThat(c.getImageID()).as("the kubelet ran the image containerd holds").startsWith("sha256:");
        assertThat(c.getContainerID()).startsWith("containerd://");
        assertThat(c.getState().getRunning()).isNotNull();
        assertThat(c.getStarted()).as("startup probe passed").isTrue();
        assertThat(c.getReady()).as("readiness probe passes").isTrue();
        assertThat(c.getRestartCount()).as("liveness probe never failed").isZero();
        assertThat(pod.getSpec().getContainers().get(0).getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(pod.getStatus().getPodIP()).as("a Pod address on the node's bridge").startsWith(node.apiHost().substring(0, node.apiHost().lastIndexOf('.') + 1));

        // it reached the API server with that token from inside the Pod: its informers started
        assertThat(operator.log()).contains(ns.name()).doesNotContain("Forbidden").doesNotContain("Unauthorized");
    }

    @Test
    void metricsServiceAnswersThroughTheOperatorsEndpoint() {
        // the chart's replicas (leader and standby) all serve metrics and are Ready
        List<String> podIps = operator.pods().stream().map(p -> p.getStatus().getPodIP()).toList();
        assertThat(podIps).hasSize(operator.replicas()).hasSizeGreaterThan(1);
        EndpointSlice slice = admin.discovery().v1().endpointSlices().inNamespace(operator.namespace())
                .withLabel("kubernetes.io/service-name", operator.metricsService()).list().getItems().get(0);
        assertThat(slice.getEndpoints()).extracting(e -> e.getAddresses().get(0)).containsExactlyInAnyOrderElementsOf(podIps);
        assertThat(slice.getEndpoints()).allSatisfy(e -> assertThat(e.getConditions().getReady()).isTrue());

        // through the Service (the API server's proxy picks one of its ready endpoints)
        String metrics = admin.raw("/api/v1/namespaces/" + operator.namespace() + "/services/" + operator.metricsService()
                + ":http/proxy/q/metrics");

        assertThat(metrics).isNotNull()
                .contains("distillation_chains")
                .contains("distillation_reconcile_duration_seconds");
    }

    @Test
    void restrictedPodSecurityIsEnforcedWhereTheOperatorAndTheTrainersRun() {
        for (String namespace : new String[] {operator.namespace(), ns.name()}) {
            assertThat(admin.namespaces().withName(namespace).get().getMetadata().getLabels())
                    .containsEntry(InstalledOperator.PSA_ENFORCE, "restricted");
            Pod privileged = new PodBuilder().withNewMetadata().withName("not-restricted").withNamespace(namespace).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage(node.trainerImage())
                    .withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer().endSpec().build();

            KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                    () -> admin.pods().inNamespace(namespace).resource(privileged).dryRun().create());

            assertThat(refused).as("a privileged Pod in %s", namespace).isNotNull();
            assertThat(refused.getCode()).isEqualTo(403);
            assertThat(refused.getMessage()).contains("violates PodSecurity \"restricted:latest\"");
        }
        // the operator's own Pod was admitted there
        assertThat(operator.pod()).isPresent();
    }
}
