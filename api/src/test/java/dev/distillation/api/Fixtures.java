package dev.distillation.api;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.VolumeFile;
import dev.distillation.api.v1alpha1.StageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Example-like chain files under src/test/resources, read with the same code the local runner uses. */
public final class Fixtures {

    /** teacher -> assistant -> student, student-direct (from teacher), student-alone; builtin fashion-mnist. */
    public static final String FASHION_TAKD = "chains/fashion-takd.yaml";
    /** Volume dataset (cifar10), pretrained resnet-110 teacher -> resnet-32 assistant -> resnet-8 student. */
    public static final String CIFAR10_RESNET = "chains/cifar10-resnet.yaml";

    private Fixtures() {}

    /** A fresh copy each call, so tests may edit it. */
    public static DistillationChain chain(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return ChainYaml.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ChainFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static DistillationChain fashionTakd() {
        return chain(FASHION_TAKD);
    }

    public static DistillationChain cifar10Resnet() {
        return chain(CIFAR10_RESNET);
    }

    public static Path path(String resource) {
        URL url = Fixtures.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes {@code chain}'s stage {@code index} train a TorchScript network for 1x28x28 images and 10
     * classes (Fashion-MNIST's), from {@code /nets/small.pt} on the volume {@code models}; returns its model.
     */
    public static ModelSpec torchscript(DistillationChain chain, int index) {
        ModelSpec model = chain.getSpec().getStages().get(index).getModel();
        model.setArchitecture(Architecture.TORCHSCRIPT);
        model.setDepth(null);
        model.setWidth(null);
        VolumeFile file = new VolumeFile();
        file.setClaimName("models");
        file.setPath("/nets/small.pt");
        model.setTorchscript(file);
        InputSpec input = new InputSpec();
        input.setChannels(1);
        input.setHeight(28);
        input.setWidth(28);
        model.setInput(input);
        model.setClasses(10);
        return model;
    }

    /** The stage named {@code name} of {@code chain}. */
    public static StageSpec stage(DistillationChain chain, String name) {
        return chain.getSpec().getStages().stream()
                .filter(s -> name.equals(s.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
    }
}
