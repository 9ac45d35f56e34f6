package dev.distillation.operator.events;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.decision.StageEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes events (core/v1) on a chain. Each occurrence has a stable event name built
 * from its key, so the same occurrence seen by several reconciles, or by a restarted operator,
 * becomes one event. A failed or unschedulable stage is read again on every reconcile: the names
 * already posted are remembered (the last {@value #REMEMBERED}), so those reconciles send nothing;
 * a restarted operator asks once per name and gets a conflict. Event failures are logged, never
 * thrown: events are advice, not state.
 */
@ApplicationScoped
public class ChainEvents {

    private static final Logger LOG = Logger.getLogger(ChainEvents.class);
    static final String COMPONENT = "distillation-operator";
    static final int REMEMBERED = 10_000;

    private final Set<String> posted = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    /** @return true when the event was new (created now), false when it existed or could not be written */
    public boolean record(KubernetesClient client, DistillationChain chain, StageEvent event) {
        Event e = build(chain, event, Instant.now());
        String id = chain.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
        if (posted.contains(id)) {
            return false;
        }
        try {
            client.v1().events().inNamespace(chain.getMetadata().getNamespace()).resource(e).create();
            posted.add(id);
            return true;
        } catch (KubernetesClientException ex) {
            if (ex.getCode() == 409) {
                posted.add(id);
            } else {
                LOG.warnf("cannot record event %s on chain %s/%s: %s", event.reason(),
                        chain.getMetadata().getNamespace(), chain.getMetadata().getName(), ex.getMessage());
            }
            return false;
        }
    }

    static Event build(DistillationChain chain, StageEvent event, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata()
                    .withName(eventName(chain, event.key()))
                    .withNamespace(chain.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(DistillationChain.API_VERSION)
                    .withKind(DistillationChain.KIND)
                    .withName(chain.getMetadata().getName())
                    .withNamespace(chain.getMetadata().getNamespace())
                    .withUid(chain.getMetadata().getUid())
                    .withResourceVersion(chain.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(event.type().name())
                .withReason(event.reason())
                .withMessage(event.message().length() > 1024 ? event.message().substring(0, 1021) + "..." : event.message())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }

    /**
     * A valid object name: {@code <chain>.<uid prefix>.<key>}, lower-case, at most 253 characters. The
     * uid keeps a re-created chain of the same name from inheriting the old chain's events.
     */
    static String eventName(DistillationChain chain, String key) {
        String uid = chain.getMetadata().getUid() == null ? "" : chain.getMetadata().getUid();
        String prefix = uid.length() > 8 ? uid.substring(0, 8) : uid;
        String name = (chain.getMetadata().getName() + (prefix.isEmpty() ? "" : "." + prefix) + "." + key)
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("[.-]+$", "");
        return name.length() > 253 ? name.substring(0, 253).replaceAll("[.-]+$", "") : name;
    }
}
