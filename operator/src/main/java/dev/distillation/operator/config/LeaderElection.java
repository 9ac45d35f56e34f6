package dev.distillation.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease: of the operator's replicas, only the holder of the Lease starts
 * its controller; the others wait and take over when it stops renewing. The operator SDK uses this
 * bean in the prod profile ({@code quarkus.operator-sdk.activate-leader-election-for-profiles}); the
 * tests against the mock API server run without it.
 *
 * <p>A leader that cannot renew within the renew deadline exits rather than working on without the
 * Lease, so two replicas never reconcile at once for longer than the lease duration; and even then
 * they could not duplicate work (stage Pods and volumes have deterministic names, so a second create
 * gets AlreadyExists, and status is recomputed from the cluster).
 */
@Singleton
public class LeaderElection {

    @Produces
    @Singleton
    LeaderElectionConfiguration configuration(OperatorSettings settings) {
        return of(settings.leaderElection());
    }

    /**
     * The public constructor, not JOSDK 5.3's builder: its {@code build()} turns exit-on-lost-leadership
     * off (only its {@code buildForTest} may set it), and a leader that lost its Lease must stop.
     */
    static LeaderElectionConfiguration of(OperatorSettings.LeaderElection settings) {
        return new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace().orElse(null), settings.leaseDuration(),
                settings.renewDeadline(), settings.retryPeriod());
    }
}
