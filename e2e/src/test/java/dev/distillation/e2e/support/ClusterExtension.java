package dev.distillation.e2e.support;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/** Wires {@link ClusterTest} classes to the shared cluster and a namespace of their own. */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        namespace(context);
    }

    /**
     * The class's namespace, created on first use: with a per-class test instance, constructor
     * parameters are resolved before {@code beforeAll}.
     */
    private static TestNamespace namespace(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        ExtensionContext c = classContext;
        return c.getStore(NS).getOrComputeIfAbsent(TestNamespace.class, k -> create(c), TestNamespace.class);
    }

    private static TestNamespace create(ExtensionContext context) {
        if (realNode(context)) {
            return new TestNamespace(InstalledOperator.get(context).chainNamespace());
        }
        TestCluster cluster = TestCluster.get(context);
        String name = "e2e-" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "").replaceAll("it$", "") + "-" + UUID.randomUUID().toString().substring(0, 5);
        name = name.length() > 50 ? name.substring(0, 44) + name.substring(name.length() - 6) : name;
        cluster.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return new TestNamespace(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestNamespace ns = context.getStore(NS).get(TestNamespace.class, TestNamespace.class);
        if (ns != null && !realNode(context)) {
            TestCluster.get(context).admin().namespaces().withName(ns.name()).delete();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        return type == TestCluster.class || type == TestNamespace.class || type == KubernetesClient.class
                || type == InstalledOperator.class || type == RealNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        if (type == TestNamespace.class) {
            return namespace(c);
        }
        if (type == InstalledOperator.class) {
            return InstalledOperator.get(c);
        }
        if (type == RealNode.class) {
            return TestCluster.get(c).realNode();
        }
        TestCluster cluster = TestCluster.get(c);
        return type == TestCluster.class ? cluster : cluster.admin();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Optional<TestNamespace> ns = Optional.ofNullable(context.getStore(NS).get(TestNamespace.class, TestNamespace.class));
        ns.ifPresent(n -> dump(context, n));
    }

    /** Whether the test class runs its chains on the real node (shares the installed operator's namespace). */
    private static boolean realNode(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getRequiredTestClass(), RealNodeTest.class);
    }

    /** Pods, chains and events of the namespace, and the logs of Pods that ran, for reading after a failure. */
    private static void dump(ExtensionContext context, TestNamespace ns) {
        KubernetesClient client = TestCluster.get(context).admin();
        StringBuilder out = new StringBuilder("# failed: " + context.getDisplayName() + "\n");
        try {
            out.append("## pods\n").append(Serialization.asYaml(client.pods().inNamespace(ns.name()).list()));
            out.append("## events\n").append(Serialization.asYaml(client.v1().events().inNamespace(ns.name()).list()));
            out.append("## chains\n").append(Serialization.asYaml(
                    client.genericKubernetesResources("distillation.dev/v1alpha1", "DistillationChain").inNamespace(ns.name()).list()));
            for (var pod : client.pods().inNamespace(ns.name()).list().getItems()) {
                if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                        && pod.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getContainerID() != null)) {
                    out.append("## log of ").append(pod.getMetadata().getName()).append('\n').append(podLog(client, ns, pod));
                }
            }
        } catch (RuntimeException e) {
            out.append("(dump failed: ").append(e).append(")\n");
        }
        try {
            Files.writeString(TestCluster.logsDir().resolve("failure-" + ns.name() + "-" + context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + ".yaml"), out);
        } catch (IOException ignored) {
            // the dump is a courtesy; the test's own failure is what matters
        }
    }

    private static String podLog(KubernetesClient client, TestNamespace ns, io.fabric8.kubernetes.api.model.Pod pod) {
        try {
            return client.pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).tailingLines(200).getLog() + "\n";
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }
}
