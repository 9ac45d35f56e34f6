package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a chain's status, only when it changed. The patch carries only name, namespace and
 * status, so under server-side apply the operator owns status fields and nothing of the user's spec.
 *
 * <p>Why not the SDK's {@code UpdateControl.patchStatus}: in Java Operator SDK 5.3.2 it filters the
 * watch events its own write causes by resource version, and with them an edit of the spec that
 * reached the API server after the reconcile read the chain but whose event arrived during or after
 * the status patch: that event's version is older than the patch's, so it is dropped as "our own",
 * and the edited spec is not reconciled until the next periodic pass (seen in the e2e tests as a
 * {@code spec.suspend} edit ignored for a minute). A plain patch leaves every event to the informer;
 * the SDK's generation filter still keeps status-only changes from triggering reconciles.
 *
 * <p>"Changed" is judged against the newest status known: the cached chain's, or the one this
 * operator wrote last when the cache has not caught up with that write yet. Against the cache alone,
 * a reconcile that starts before its predecessor's write reaches the cache compares with the status
 * before that write: when it computes that older status again (a stage Pending, then Running, then
 * Pending when its Pod is replaced), it skips the write and the chain is left showing Running.
 */
final class StatusWriter {

    /** The status this operator last wrote for a chain (by UID), and the resource version that write made. */
    record Written(long resourceVersion, DistillationChainStatus status) {}

    private final Map<String, Written> written = new ConcurrentHashMap<>();

    /**
     * The newest status known for a chain: the cached one, unless this operator's last write made a
     * newer resource version than the cached chain has. Unreadable resource versions give null (so
     * the status is written).
     */
    static DistillationChainStatus newest(DistillationChain cached, Written last) {
        if (last == null) {
            return cached.getStatus();
        }
        Long cachedVersion = version(cached.getMetadata().getResourceVersion());
        if (cachedVersion == null) {
            return null;
        }
        return cachedVersion >= last.resourceVersion() ? cached.getStatus() : last.status();
    }

    private static Long version(String resourceVersion) {
        try {
            return resourceVersion == null ? null : Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Forgets a deleted chain. */
    void forget(DistillationChain chain) {
        written.remove(chain.getMetadata().getUid());
    }

    /** @return whether a patch was sent */
    boolean write(DistillationChain chain, DistillationChainStatus status, Context<DistillationChain> context) {
        String uid = chain.getMetadata().getUid();
        if (status.equals(newest(chain, uid == null ? null : written.get(uid)))) {
            return false;
        }
        DistillationChain patch = new DistillationChain();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(chain.getMetadata().getName())
                .withNamespace(chain.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        var client = context.getClient().resources(DistillationChain.class).inNamespace(chain.getMetadata().getNamespace());
        DistillationChain after;
        if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
            after = client.resource(patch).subresource("status").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withForce(true)
                    .withFieldManager(context.getControllerConfiguration().fieldManager())
                    .build());
        } else {
            // The tests' mock API server has no server-side apply.
            after = client.withName(chain.getMetadata().getName()).editStatus(c -> {
                c.setStatus(status);
                return c;
            });
        }
        Long version = after == null ? null : version(after.getMetadata().getResourceVersion());
        if (uid != null && version != null) {
            written.put(uid, new Written(version, status));
        }
        return true;
    }
}
