package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator processes share one Lease; the leader is killed mid-chain (no graceful shutdown, as
 * a lost node), {@value #KILLS} times in a row. Each time the standby takes over: the stage that
 * finished while nobody led is recorded, its students start, no Pod is created twice and no result
 * is lost. The time from each kill to the first Pod the new leader creates is written to
 * target/e2e-logs/failover.txt (the default lease of 15 s dominates it).
 */
@ClusterTest
class LeaderFailoverIT {

    static final int KILLS = 5;
    static final String LEASE = "distillation-operator";

    private final TestCluster cluster;
    private final TestNamespace ns;

    LeaderFailoverIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    /**
     * Starts an operator and waits until it is Ready (/q/health/ready), which a standby must be too
     * (the chart's readiness probe and disruption budget count on it). Its identity in the Lease is
     * its HOSTNAME, as in a Pod.
     */
    private OperatorProcess start(String identity, String log) {
        return OperatorProcess.start(cluster.kubeconfig(), ns.name(), log, Map.of("HOSTNAME", identity));
    }

    private String holder() {
        Lease lease = cluster.admin().leases().inNamespace(ns.name()).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void theStandbyTakesOverAfterEachKillWithNoDuplicatePodAndNoLostResult() throws IOException {
        Map<String, OperatorProcess> operators = new LinkedHashMap<>();
        List<Duration> takeovers = new ArrayList<>();
        try {
            operators.put("operator-a", start("operator-a", "failover-a-0"));
            operators.put("operator-b", start("operator-b", "failover-b-0"));
            for (int kill = 1; kill <= KILLS; kill++) {
                String leader = await("a leader").atMost(ChainDriver.TIMEOUT).until(this::holder, operators::containsKey);
                String standby = operators.keySet().stream().filter(k -> !k.equals(leader)).findFirst().orElseThrow();
                ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.withName(Chains.resource("fan-out.yaml"), "failover-" + kill));
                driver.awaitRunning("teacher");

                Instant killed = Instant.now();
                operators.get(leader).kill();
                driver.kubelet().succeed(driver.pods("teacher").get(0), ChainDriver.metricsJson(0.91));   // while nobody leads
                driver.awaitRunning("student-a");
                takeovers.add(Duration.between(killed, Instant.now()));
                assertThat(holder()).as("the Lease after killing %s", leader).isEqualTo(standby);

                driver.succeed("student-a", 0.84);
                driver.succeed("student-b", 0.83);
                driver.awaitChainPhase("Succeeded");
                assertThat(driver.pods("teacher")).as("no duplicate Pod").hasSize(1);
                assertThat(driver.pods()).hasSize(3);
                assertThat(driver.stage("teacher").orElseThrow().getMetrics().getTestAccuracy()).as("no lost result").isEqualTo(0.91);

                operators.put(leader, start(leader, "failover-" + leader.substring(leader.length() - 1) + "-" + kill));
            }
        } finally {
            operators.values().forEach(OperatorProcess::close);
            List<Long> ms = takeovers.stream().map(Duration::toMillis).sorted().toList();
            String report = "kill -> first Pod of the new leader, ms: " + takeovers.stream().map(d -> Long.toString(d.toMillis()))
                    .collect(Collectors.joining(" ")) + (ms.isEmpty() ? "" : String.format(Locale.ROOT, "%nmedian %d ms, max %d ms (%d kills)",
                    ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.size())) + "\n";
            Files.writeString(TestCluster.logsDir().resolve("failover.txt"), report);
            System.out.print(report);
        }
    }
}
