package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;

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
 */
final class StatusWriter {

    private StatusWriter() {}

    /** @return whether a patch was sent */
    static boolean write(DistillationChain chain, DistillationChainStatus status, Context<DistillationChain> context) {
        if (status.equals(chain.getStatus())) {
            return false;
        }
        DistillationChain patch = new DistillationChain();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(chain.getMetadata().getName())
                .withNamespace(chain.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        var client = context.getClient().resources(DistillationChain.class).inNamespace(chain.getMetadata().getNamespace());
        if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
            client.resource(patch).subresource("status").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withForce(true)
                    .withFieldManager(context.getControllerConfiguration().fieldManager())
                    .build());
        } else {
            // The tests' mock API server has no server-side apply.
            client.withName(chain.getMetadata().getName()).editStatus(c -> {
                c.setStatus(status);
                return c;
            });
        }
        return true;
    }
}
