package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** helm lint passes, and values.schema.json turns a bad value into an error that names it. */
class ChartLintAndSchemaTest {

    @ParameterizedTest(name = "helm lint --strict {0}")
    @ValueSource(strings = {"", "watchNamespaces={team-a,team-b}", "metrics.serviceMonitor.enabled=true", "operator.trainerMemory=8Gi",
            "policy.allowedImagePrefixes={registry.example.com/ml/}"})
    void lintPasses(String set) {
        Helm.Result r = set.isEmpty() ? Helm.run("lint", "--strict", ".") : Helm.run("lint", "--strict", ".", "--set", set);

        assertThat(r.ok()).as("helm lint:\n%s\n%s", r.stdout(), r.stderr()).isTrue();
        assertThat(r.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "replicas=x                        | at '/replicas': got string, want integer",
            "replicas=-1                       | at '/replicas': minimum: got -1, want 0",
            "leaderElection.leaseDuration=15   | at '/leaderElection/leaseDuration': got number, want string",
            "operator.gpuResourceName=5        | at '/operator/gpuResourceName': got number, want string",
            "operator.gpuResourceName=gpu      | at '/operator/gpuResourceName': 'gpu' does not match pattern",
            "watchNamespaces={Team_A}          | at '/watchNamespaces/0': 'Team_A' does not match pattern",
            "image.pullPolicy=Sometimes        | at '/image/pullPolicy'",
            "logLevel=LOUD                     | at '/logLevel'",
            "resources.requests.cpu=lots       | at '/resources/requests/cpu'",
            "rbac.create=maybe                 | at '/rbac/create': got string, want boolean",
            "trainerImage=x                    | additional properties 'trainerImage' not allowed",
            "operator.trainerMemory=8GB        | at '/operator/trainerMemory'",
            "policy.allowTolerations=maybe     | at '/policy/allowTolerations': got string, want boolean",
            "policy.allowedImages={x}          | additional properties 'allowedImages' not allowed",
    })
    void badValueFailsWithTheSchemasMessage(String set, String message) {
        // helm install and upgrade check values with the same code before they contact the cluster;
        // with no cluster here, template and lint stand in for them.
        for (String command : new String[] {"template", "lint"}) {
            Helm.Result r = command.equals("template")
                    ? Helm.run("template", Helm.RELEASE, ".", "--set", set)
                    : Helm.run("lint", ".", "--set", set);
            String output = r.stdout() + r.stderr();
            assertThat(r.ok()).as("helm %s --set %s should fail:\n%s", command, set, output).isFalse();
            assertThat(output).as("helm %s --set %s", command, set)
                    .contains("values don't meet the specifications of the schema").contains(message);
        }
    }
}
