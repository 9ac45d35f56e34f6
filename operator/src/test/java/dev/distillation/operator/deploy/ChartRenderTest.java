package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Renders the chart with helm template and checks the objects it produces. */
class ChartRenderTest {

    private static final String FULLNAME = Helm.RELEASE + "-distillation-operator";

    @Test
    void defaultValuesGiveTheOperatorAClusterRoleAndAMetricsService() {
        List<JsonNode> objects = Helm.template();

        assertThat(objects).extracting(o -> o.path("kind").asText())
                .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment",
                        "PodDisruptionBudget");
        for (JsonNode o : objects) {
            assertThat(o.path("metadata").path("name").asText()).startsWith(FULLNAME);
            assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/instance").asText()).isEqualTo(Helm.RELEASE);
            if (!o.path("kind").asText().startsWith("Cluster")) {
                assertThat(o.path("metadata").path("namespace").asText()).as("namespace of %s", o.path("kind")).isEqualTo(Helm.NAMESPACE);
            }
        }
    }

    @Test
    void clusterRoleHoldsExactlyTheOperatorsRulesAndIsBoundToItsServiceAccount() {
        List<JsonNode> objects = Helm.template();

        assertThat(Rule.of(one(objects, "ClusterRole"))).containsExactlyElementsOf(Rule.OPERATOR);
        JsonNode binding = one(objects, "ClusterRoleBinding");
        assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("ClusterRole");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(FULLNAME);
        assertThat(binding.path("subjects")).hasSize(1);
        JsonNode subject = binding.path("subjects").get(0);
        assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
        assertThat(subject.path("name").asText()).isEqualTo(one(objects, "ServiceAccount").path("metadata").path("name").asText());
        assertThat(subject.path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
        JsonNode pod = one(objects, "Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(FULLNAME);
    }

    @Test
    void deploymentRunsTwoRestrictedOperatorPodsWithHealthProbes() {
        JsonNode deployment = one(Helm.template(), "Deployment");

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isZero();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.path("containers")).hasSize(1);
        JsonNode c = pod.path("containers").get(0);
        assertThat(c.path("image").asText()).isEqualTo("distillation-operator:0.1.0-SNAPSHOT");
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.path("securityContext").path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(c.path("securityContext").path("privileged").asBoolean(false)).isFalse();
        assertThat(c.path("ports")).extracting(p -> p.path("name").asText() + ":" + p.path("containerPort").asInt())
                .containsExactly("http:8080");
        assertThat(probe(c, "livenessProbe")).isEqualTo("/q/health/live@http");
        assertThat(probe(c, "startupProbe")).isEqualTo("/q/health/live@http");
        assertThat(probe(c, "readinessProbe")).isEqualTo("/q/health/ready@http");
        assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo("100m");
        assertThat(c.path("resources").path("requests").path("memory").asText()).isEqualTo("256Mi");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("512Mi");
        // The read-only root filesystem gets a writable /tmp.
        assertThat(c.path("volumeMounts")).extracting(m -> m.path("mountPath").asText()).containsExactly("/tmp");
        assertThat(pod.path("volumes").get(0).has("emptyDir")).isTrue();
    }

    @Test
    void operatorSettingsReachTheContainerAsEnvironment() {
        Map<String, String> env = env(one(Helm.template(), "Deployment"));

        assertThat(env).containsEntry("DISTILLATION_TRAINER_IMAGE", "distillation-trainer:0.1.0-SNAPSHOT")
                .containsEntry("DISTILLATION_TRAINER_IMAGE_CUDA", "distillation-trainer:0.1.0-SNAPSHOT-cuda")
                .containsEntry("DISTILLATION_GPU_RESOURCE_NAME", "nvidia.com/gpu")
                .containsEntry("QUARKUS_LOG_CATEGORY__DEV_DISTILLATION__LEVEL", "INFO")
                .containsEntry("DISTILLATION_POLICY_ALLOW_TOLERATIONS", "true")
                .containsEntry("DISTILLATION_POLICY_ALLOW_NODE_SELECTOR", "true")
                .doesNotContainKeys("QUARKUS_OPERATOR_SDK_CONTROLLERS_DISTILLATIONCHAIN_NAMESPACES", "DISTILLATION_TRAINER_CPU",
                        "DISTILLATION_TRAINER_MEMORY", "DISTILLATION_POLICY_ALLOWED_IMAGE_PREFIXES", "DISTILLATION_POLICY_ALLOWED_PRIORITY_CLASSES");

        Map<String, String> set = env(one(Helm.template(
                "--set", "operator.trainerImage=registry.example.com/ml/trainer:1.2",
                "--set", "operator.trainerImageCuda=registry.example.com/ml/trainer:1.2-cuda",
                "--set", "operator.gpuResourceName=amd.com/gpu",
                "--set-string", "operator.trainerCpu=3",
                "--set", "operator.trainerMemory=6Gi",
                "--set", "policy.allowedImagePrefixes={registry.example.com/ml/,mirror.example.com/}",
                "--set", "policy.allowedPriorityClasses={batch-low}",
                "--set", "policy.allowTolerations=false",
                "--set", "image.repository=registry.example.com/ml/distillation-operator",
                "--set", "image.tag=1.2",
                "--set", "extraEnv[0].name=QUARKUS_LOG_CONSOLE_JSON",
                "--set-string", "extraEnv[0].value=true"), "Deployment"));
        assertThat(set).containsEntry("DISTILLATION_TRAINER_IMAGE", "registry.example.com/ml/trainer:1.2")
                .containsEntry("DISTILLATION_TRAINER_IMAGE_CUDA", "registry.example.com/ml/trainer:1.2-cuda")
                .containsEntry("DISTILLATION_GPU_RESOURCE_NAME", "amd.com/gpu")
                .containsEntry("DISTILLATION_TRAINER_CPU", "3")
                .containsEntry("DISTILLATION_TRAINER_MEMORY", "6Gi")
                .containsEntry("DISTILLATION_POLICY_ALLOWED_IMAGE_PREFIXES", "registry.example.com/ml/,mirror.example.com/")
                .containsEntry("DISTILLATION_POLICY_ALLOWED_PRIORITY_CLASSES", "batch-low")
                .containsEntry("DISTILLATION_POLICY_ALLOW_TOLERATIONS", "false")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON", "true");
        JsonNode deployment = one(Helm.template("--set", "image.repository=registry.example.com/ml/distillation-operator",
                "--set", "image.tag=1.2"), "Deployment");
        assertThat(deployment.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("registry.example.com/ml/distillation-operator:1.2");
    }

    @Test
    void watchNamespacesSwitchesToARoleAndRoleBindingPerNamespaceAndNothingClusterWide() {
        List<JsonNode> objects = Helm.template("--set", "watchNamespaces={team-a,team-b}");

        assertThat(objects).extracting(o -> o.path("kind").asText())
                .containsExactlyInAnyOrder("ServiceAccount", "Role", "RoleBinding", "Role", "RoleBinding", "Role", "RoleBinding", "Service",
                        "Deployment", "PodDisruptionBudget");
        for (String ns : List.of("team-a", "team-b")) {
            JsonNode role = objects.stream().filter(o -> o.path("kind").asText().equals("Role")
                    && o.path("metadata").path("namespace").asText().equals(ns)).findFirst().orElseThrow();
            assertThat(Rule.of(role)).containsExactlyElementsOf(Rule.OPERATOR);
            JsonNode binding = objects.stream().filter(o -> o.path("kind").asText().equals("RoleBinding")
                    && o.path("metadata").path("namespace").asText().equals(ns)).findFirst().orElseThrow();
            assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(role.path("metadata").path("name").asText());
            JsonNode subject = binding.path("subjects").get(0);
            assertThat(subject.path("name").asText()).isEqualTo(FULLNAME);
            assertThat(subject.path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
        }
        assertThat(env(one(objects, "Deployment")))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_DISTILLATIONCHAIN_NAMESPACES", "team-a,team-b");
    }

    @Test
    void rbacAndServiceAccountCanBeLeftToTheClusterAdmin() {
        List<JsonNode> objects = Helm.template("--set", "rbac.create=false", "--set", "serviceAccount.create=false",
                "--set", "serviceAccount.name=prepared-sa");

        assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactlyInAnyOrder("Service", "Deployment", "PodDisruptionBudget");
        assertThat(one(objects, "Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo("prepared-sa");
        Helm.Result noName = Helm.run("template", Helm.RELEASE, ".", "--set", "serviceAccount.create=false");
        assertThat(noName.ok()).isFalse();
        assertThat(noName.stderr()).contains("serviceAccount.name is required when serviceAccount.create is false");
    }

    @Test
    void metricsServiceTargetsTheHttpPortAndTheServiceMonitorScrapesQMetrics() {
        List<JsonNode> objects = Helm.template("--set", "metrics.serviceMonitor.enabled=true",
                "--set", "metrics.serviceMonitor.labels.release=prom");

        JsonNode service = one(objects, "Service");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        JsonNode podLabels = one(objects, "Deployment").path("spec").path("template").path("metadata").path("labels");
        service.path("spec").path("selector").fields().forEachRemaining(e ->
                assertThat(podLabels.path(e.getKey()).asText()).as("pod label %s", e.getKey()).isEqualTo(e.getValue().asText()));
        JsonNode monitor = one(objects, "ServiceMonitor");
        assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("prom");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("http");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.path("spec").path("selector").path("matchLabels")).isEqualTo(service.path("spec").path("selector"));

        assertThat(Helm.template("--set", "metrics.service.enabled=false"))
                .extracting(o -> o.path("kind").asText()).doesNotContain("Service", "ServiceMonitor");
        Helm.Result monitorWithoutService = Helm.run("template", Helm.RELEASE, ".",
                "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false");
        assertThat(monitorWithoutService.ok()).isFalse();
        assertThat(monitorWithoutService.stderr()).contains("metrics.serviceMonitor.enabled needs metrics.service.enabled");
    }

    @Test
    void replicasElectTheirLeaderThroughALeaseInTheReleaseNamespaceOnly() {
        List<JsonNode> objects = Helm.template();

        Map<String, String> env = env(one(objects, "Deployment"));
        assertThat(env).containsEntry("DISTILLATION_LEADER_ELECTION_LEASE_NAME", FULLNAME)
                .containsEntry("DISTILLATION_LEADER_ELECTION_LEASE_NAMESPACE", "<from>")
                .containsEntry("DISTILLATION_LEADER_ELECTION_LEASE_DURATION", "15s")
                .containsEntry("DISTILLATION_LEADER_ELECTION_RENEW_DEADLINE", "10s")
                .containsEntry("DISTILLATION_LEADER_ELECTION_RETRY_PERIOD", "2s");
        JsonNode role = one(objects, "Role");
        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
        assertThat(Rule.of(role)).containsExactly(new Rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("create", "get", "patch", "update")));
        JsonNode binding = one(objects, "RoleBinding");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(role.path("metadata").path("name").asText());
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(FULLNAME);
        assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
    }

    @Test
    void twoOrMoreReplicasGetADisruptionBudgetThatKeepsOneRunning() {
        JsonNode budget = one(Helm.template(), "PodDisruptionBudget");
        assertThat(budget.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        JsonNode podLabels = one(Helm.template(), "Deployment").path("spec").path("template").path("metadata").path("labels");
        budget.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
                assertThat(podLabels.path(e.getKey()).asText()).as("pod label %s", e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(Helm.template("--set", "replicas=1")).extracting(o -> o.path("kind").asText()).doesNotContain("PodDisruptionBudget");
        assertThat(Helm.template("--set", "replicas=3")).extracting(o -> o.path("kind").asText()).contains("PodDisruptionBudget");
    }

    @Test
    void replicasZeroPausesTheOperator() {
        assertThat(one(Helm.template("--set", "replicas=0"), "Deployment").path("spec").path("replicas").asInt()).isZero();
    }

    static JsonNode one(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    private static String probe(JsonNode container, String name) {
        JsonNode get = container.path(name).path("httpGet");
        return get.path("path").asText() + "@" + get.path("port").asText();
    }

    private static Map<String, String> env(JsonNode deployment) {
        Map<String, String> env = new TreeMap<>();
        for (JsonNode e : deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            env.put(e.path("name").asText(), Optional.ofNullable(e.get("value")).map(JsonNode::asText).orElse("<from>"));
        }
        return env;
    }
}
