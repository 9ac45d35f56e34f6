package dev.distillation.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    record Settings(String leaseName, Optional<String> leaseNamespace, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod)
            implements OperatorSettings.LeaderElection {}

    @Test
    void theLeaseIsTheOneTheSettingsName() {
        LeaderElectionConfiguration c = LeaderElection.of(new Settings("dop-distillation-operator", Optional.of("ops"),
                Duration.ofSeconds(20), Duration.ofSeconds(12), Duration.ofSeconds(3)));
        assertThat(c.getLeaseName()).isEqualTo("dop-distillation-operator");
        assertThat(c.getLeaseNamespace()).hasValue("ops");
        assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(12));
        assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.isExitOnStopLeading()).as("a leader that lost its Lease stops working").isTrue();
    }

    @Test
    void withoutANamespaceTheLeaseIsInTheOperatorsOwn() {
        LeaderElectionConfiguration c = LeaderElection.of(new Settings("distillation-operator", Optional.empty(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
        assertThat(c.getLeaseNamespace()).isEmpty();
    }
}
