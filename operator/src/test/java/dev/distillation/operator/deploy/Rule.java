package dev.distillation.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One RBAC policy rule, as rendered by the chart. */
record Rule(List<String> apiGroups, List<String> resources, List<String> verbs) {

    /**
     * Exactly what the operator needs in each namespace it watches, and nothing more. The chart's
     * ClusterRole (all namespaces) and each Role (watchNamespaces) carry this list, and
     * docs/operating.md explains each line.
     */
    static final List<Rule> OPERATOR = List.of(
            new Rule(List.of("distillation.dev"), List.of("distillationchains"), List.of("list", "watch")),
            new Rule(List.of("distillation.dev"), List.of("distillationchains/status"), List.of("patch")),
            new Rule(List.of("distillation.dev"), List.of("distillationchains/finalizers"), List.of("update")),
            new Rule(List.of(""), List.of("pods"), List.of("create", "delete", "list", "watch")),
            new Rule(List.of(""), List.of("persistentvolumeclaims"), List.of("create", "get", "list", "patch", "watch")),
            new Rule(List.of(""), List.of("events"), List.of("create", "list", "watch")));

    static List<Rule> of(JsonNode role) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : role.path("rules")) {
            if (r.has("resourceNames") || r.has("nonResourceURLs")) {
                throw new AssertionError("unexpected rule shape: " + r);
            }
            rules.add(new Rule(strings(r.path("apiGroups")), strings(r.path("resources")), strings(r.path("verbs"))));
        }
        return rules;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
