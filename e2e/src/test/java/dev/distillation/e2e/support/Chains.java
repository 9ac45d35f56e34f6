package dev.distillation.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Chain documents for tests: loaded from test resources or examples/, as untyped JSON trees. */
public final class Chains {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Chains() {}

    /** A chain from src/test/resources/chains/NAME. */
    public static ObjectNode resource(String name) {
        try (InputStream in = Chains.class.getResourceAsStream("/chains/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource chains/" + name);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chain from the repository's examples/ folder. */
    public static ObjectNode example(TestCluster cluster, String file) {
        try {
            return (ObjectNode) YAML.readTree(Files.readString(cluster.repoRoot().resolve("examples").resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GenericKubernetesResource toResource(JsonNode chain, String namespace) {
        GenericKubernetesResource r = Serialization.unmarshal(chain.toString(), GenericKubernetesResource.class);
        r.getMetadata().setNamespace(namespace);
        return r;
    }

    public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> api(
            KubernetesClient client) {
        return client.genericKubernetesResources("distillation.dev/v1alpha1", "DistillationChain");
    }

    public static ObjectNode withName(ObjectNode chain, String name) {
        ((ObjectNode) chain.get("metadata")).put("name", name);
        return chain;
    }
}
