package dev.distillation.operator.decision;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where a stage Pod may start when its volumes attach to one node at a time (ReadWriteOnce on
 * block storage: a second node's Pod would hang in ContainerCreating with a Multi-Attach error).
 * Pure. The rule: a Pod that mounts a claim in use by a scheduled Pod starts on that Pod's node
 * (co-located: the students of one teacher still run side by side, as ReadWriteOnce allows any
 * number of Pods on one node); while a claim it mounts is in use by a Pod not scheduled yet, or its
 * claims are in use on different nodes, it waits.
 *
 * <p>Why co-locate rather than wait: waiting would serialise every student of a teacher, while the
 * node that holds the volume usually has room for more (and when it has not, the Pod is Pending
 * with the scheduler's reason in the stage message, instead of hanging with none).
 */
public final class VolumePlacement {

    private VolumePlacement() {}

    public sealed interface Decision permits Anywhere, OnNode, Wait {}

    /** No claim of the Pod is in use: the scheduler chooses. */
    public record Anywhere() implements Decision {}

    /** Start on {@code node}, where a claim of the Pod is in use. */
    public record OnNode(String node) implements Decision {}

    /** Do not start now, because {@code message}. */
    public record Wait(String message) implements Decision {}

    /** Which Pods use which claims, and on which node (null: not scheduled yet). */
    public static final class Usage {
        private final Map<String, Map<String, String>> podsByClaim = new LinkedHashMap<>();

        /** Records that active Pod {@code pod} on {@code node} (null: not scheduled) mounts {@code claims}. */
        public Usage add(String pod, String node, Collection<String> claims) {
            for (String claim : claims) {
                podsByClaim.computeIfAbsent(claim, c -> new LinkedHashMap<>()).put(pod, node);
            }
            return this;
        }
    }

    /** Where a Pod that mounts {@code claims} may start, given {@code usage}. */
    public static Decision place(List<String> claims, Usage usage) {
        Set<String> nodes = new TreeSet<>();
        List<String> inUse = claims.stream().filter(usage.podsByClaim::containsKey).toList();
        for (String claim : claims) {
            for (Map.Entry<String, String> user : usage.podsByClaim.getOrDefault(claim, Map.of()).entrySet()) {
                if (user.getValue() == null) {
                    return new Wait("waiting for volume " + claim + ": in use by Pod " + user.getKey()
                            + ", which is not scheduled yet (ReadWriteOnce: its node decides where this stage can run)");
                }
                nodes.add(user.getValue());
            }
        }
        if (nodes.isEmpty()) {
            return new Anywhere();
        }
        if (nodes.size() == 1) {
            return new OnNode(nodes.iterator().next());
        }
        return new Wait("waiting for volumes " + String.join(", ", inUse) + ": in use on nodes "
                + nodes.stream().collect(Collectors.joining(", ")) + " at once (ReadWriteOnce attaches each to one node)");
    }
}
