package dev.distillation.api.crd;

import dev.distillation.api.v1alpha1.DistillationChain;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Generates the DistillationChain CRD with fabric8's crd-generator v2, the library (and the
 * settings) the operator's Quarkus Operator SDK extension uses for
 * {@code operator/target/kubernetes/distillationchains.distillation.dev-v1.yml}.
 *
 * <p>Run {@code ./mvnw -pl api test -Dtest=CrdUpToDateTest -Dcrd.update=true} to rewrite the
 * committed copy under {@code crds/}.
 */
public final class CrdGeneration {

    /** File name the generator (and the operator extension) uses: {@code <plural>.<group>-<crd version>.yml}. */
    public static final String FILE_NAME = "distillationchains.distillation.dev-v1.yml";

    private CrdGeneration() {}

    /** Writes the CRD into {@code dir} and returns the file. */
    public static Path generate(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new CRDGenerator()
                .customResourceClasses(DistillationChain.class)
                .forCRDVersions("v1")
                .inOutputDir(dir.toFile())
                .generate();
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the CRD generator wrote no " + FILE_NAME + " into " + dir);
        }
        orderPrinterColumnsAsDeclared(file);
        return file;
    }

    /**
     * The generator sorts printer columns by JSON path, so kubectl would show AGE, STAGE, BEST,
     * PHASE, DONE. Put them back in the order the model declares them (Phase, Stage, Done, Best, Age).
     */
    static void orderPrinterColumnsAsDeclared(Path file) {
        List<String> declared = Arrays.stream(DistillationChain.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        try {
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                List<CustomResourceColumnDefinition> columns = new ArrayList<>(v.getAdditionalPrinterColumns());
                columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
                v.setAdditionalPrinterColumns(columns);
            }
            Files.writeString(file, Serialization.asYaml(crd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entry point: {@code CrdGeneration <output dir>} (default target/crd). */
    public static void main(String[] args) {
        Path out = generate(Path.of(args.length > 0 ? args[0] : "target/crd"));
        System.out.println("wrote " + out);
    }
}
