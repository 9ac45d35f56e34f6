package dev.distillation.operator.progress;

import dev.distillation.api.v1alpha1.DistillationChain;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The trainers' progress as an event source: every {@code interval}, each chain's running Pods are
 * asked ({@link ProgressPoller}); a reconcile of the chain follows only when an answer differs from
 * the last one, which the trainer changes once per epoch. So the API server sees at most one status
 * write per running stage per epoch (and never more than one per stage per interval), however
 * often the Pods are asked.
 */
public final class ProgressEventSource extends PerResourcePollingEventSource<ProgressReading, DistillationChain, String> {

    public static final String NAME = "trainer-progress";
    /** Threads asking trainers; each asks all running Pods of one chain at once, so a few are plenty. */
    static final int THREADS = 4;

    private final ProgressPoller poller;

    private ProgressEventSource(EventSourceContext<DistillationChain> context, ProgressPoller poller, Duration interval) {
        super(ProgressReading.class, context, new PerResourcePollingConfigurationBuilder<ProgressReading, DistillationChain, String>(poller, interval)
                .withName(NAME)
                .withResourceIDMapper(ProgressReading::pod)
                .withExecutorService(Executors.newScheduledThreadPool(THREADS, r -> {
                    Thread t = new Thread(r, NAME);
                    t.setDaemon(true);
                    return t;
                }))
                .build());
        this.poller = poller;
    }

    public static ProgressEventSource create(EventSourceContext<DistillationChain> context, InformerEventSource<Pod, DistillationChain> pods,
                                             Duration interval, Duration timeout) {
        return new ProgressEventSource(context, new ProgressPoller(pods::getSecondaryResources, interval, timeout, Clock.systemUTC()), interval);
    }

    @Override
    public void onResourceDeleted(DistillationChain chain) {
        super.onResourceDeleted(chain);
        poller.forget(chain);
    }
}
