package dev.distillation.e2e.support;

/** The random namespace a {@link ClusterTest} class works in. */
public record TestNamespace(String name) {
    @Override
    public String toString() {
        return name;
    }
}
