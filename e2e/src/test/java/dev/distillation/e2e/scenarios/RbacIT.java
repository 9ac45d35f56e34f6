package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart's RBAC is enough and not more: the chart is rendered with helm (namespaced
 * mode, watching only this test's namespace), its ServiceAccount and RBAC objects are applied,
 * and the packaged operator runs as that ServiceAccount — not as admin — through a whole chain
 * with a retry and an edit. Access reviews show what the ServiceAccount may not do.
 */
@ClusterTest
class RbacIT {

    private static final String RELEASE = "dop";
    private static final String SERVICE_ACCOUNT = "dop-distillation-operator";
    private static final Set<String> RBAC_KINDS = Set.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final KubernetesClient admin;

    RbacIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
        this.admin = cluster.admin();
    }

    @Test
    void operatorRunsAWholeChainAsTheChartsServiceAccount() throws Exception {
        String ops = ns.name() + "-ops";
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ops).endMetadata().build()).create();
        try {
            installChartRbac(ops, "--set", "watchNamespaces={" + ns.name() + "}");
            Path kubeconfig = cluster.serviceAccountKubeconfig(ops, SERVICE_ACCOUNT);

            // The Lease lives in the release namespace, as the chart's Deployment sets it.
            try (OperatorProcess operator = OperatorProcess.start(kubeconfig, ns.name(), "rbac",
                    Map.of("DISTILLATION_LEADER_ELECTION_LEASE_NAMESPACE", ops))) {
                ChainDriver driver = ChainDriver.apply(admin, ns, Chains.withName(Chains.resource("retry.yaml"), "least-privilege"));
                driver.fail("teacher", "first attempt fails");
                driver.succeed("teacher", 0.9);
                driver.succeed("student", 0.85);
                driver.succeed("student-alone", 0.8);
                driver.awaitChainPhase("Succeeded");

                String log = Files.readString(operator.log());
                assertThat(log).as("operator log (%s)", operator.log()).doesNotContain("Forbidden").doesNotContain("forbidden");
                assertThat(admin.v1().events().inNamespace(ns.name()).list().getItems())
                        .as("events were recorded under the ServiceAccount")
                        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("StageSucceeded"));
            }
        } finally {
            admin.namespaces().withName(ops).delete();
        }
    }

    @ParameterizedTest(name = "{0} {1}/{2} in {3}: {4}")
    @CsvSource({
            "create, pods, '', watched, true",
            "delete, pods, '', watched, true",
            "patch, distillationchains, status, watched, true",
            "update, distillationchains, '', watched, false",
            "delete, distillationchains, '', watched, false",
            "get, secrets, '', watched, false",
            "create, pods, '', other, false",
            "list, distillationchains, '', other, false",
            "list, nodes, '', cluster, false"})
    void serviceAccountMayDoOnlyWhatTheOperatorNeeds(String verb, String resource, String subresource, String where, boolean allowed)
            throws Exception {
        String ops = ns.name() + "-sar";
        if (admin.namespaces().withName(ops).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ops).endMetadata().build()).create();
            installChartRbac(ops, "--set", "watchNamespaces={" + ns.name() + "}");
        }
        String namespace = switch (where) {
            case "watched" -> ns.name();
            case "other" -> ops;
            default -> null;
        };
        String group = resource.startsWith("distillationchains") ? "distillation.dev" : "";
        SubjectAccessReview review = admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser("system:serviceaccount:" + ops + ":" + SERVICE_ACCOUNT)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + ops, "system:authenticated")
                .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource)
                .withSubresource(subresource.isEmpty() ? null : subresource).withNamespace(namespace).endResourceAttributes()
                .endSpec().build());
        assertThat(review.getStatus().getAllowed()).as("%s %s/%s in %s", verb, resource, subresource, where).isEqualTo(allowed);
    }

    /** Renders the chart with helm and applies only its ServiceAccount and RBAC objects. */
    private void installChartRbac(String releaseNamespace, String... values) throws Exception {
        String helm = cluster.tool("charts/tools/helm.sh");
        String[] args = concat(new String[] {helm, "template", RELEASE, "charts/distillation-operator", "-n", releaseNamespace}, values);
        String rendered = cluster.run(args);
        List<HasMetadata> objects = admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        List<HasMetadata> rbac = objects.stream().filter(o -> RBAC_KINDS.contains(o.getKind())).toList();
        assertThat(rbac).extracting(HasMetadata::getKind).contains("ServiceAccount", "Role", "RoleBinding")
                .doesNotContain("ClusterRole", "ClusterRoleBinding");
        for (HasMetadata o : rbac) {
            admin.resource(o).createOr(existing -> existing.update());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
