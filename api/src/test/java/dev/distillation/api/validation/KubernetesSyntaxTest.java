package dev.distillation.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The syntax predicates against values whose fate on a real API server is known: quantities as
 * Kubernetes' {@code resource.ParseQuantity} takes or refuses them, label keys and values as its
 * {@code validation.IsQualifiedName} and {@code IsValidLabelValue} do, image references by the
 * reference grammar of container registries.
 */
class KubernetesSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "4", "500m", "1.5", ".5", "5.", "+1", "-1", "1e3", "1E-3", "8Gi", "1Ki", "2Ei", "100n", "3u",
            "7k", "1M", "1G", "1T", "1P", "1E", "12345678901234567890"})
    void quantitiesKubernetesParses(String text) {
        assertThat(KubernetesSyntax.isQuantity(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "4 cores", "1.1.1", "1e", "1e1.5", "1KiB", "2GB", "Gi", "1gi", "1mi", "1K", ".", "+",
            "1Gi1", "0x10", "1,5"})
    void quantitiesKubernetesRefuses(String text) {
        assertThat(KubernetesSyntax.isQuantity(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"4, true", "500m, true", "0.001, true", "+2Gi, true", "0, false", "0.0, false", "-1, false", "-500m, false", "0Gi, false",
            "abc, false"})
    void positiveQuantities(String text, boolean positive) {
        assertThat(KubernetesSyntax.isPositiveQuantity(new Quantity(text))).isEqualTo(positive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
            "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
            "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "nvidia.com/gpu.present"})
    void labelKeysKubernetesTakes(String key) {
        assertThat(KubernetesSyntax.isQualifiedName(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
            "example_com/abc", "example.com/", "/simple", "has space", "a/b/c"})
    void labelKeysKubernetesRefuses(String key) {
        assertThat(KubernetesSyntax.isQualifiedName(key)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"62, true", "63, true", "64, false"})
    void labelKeyNamesAndValuesUpTo63Characters(int length, boolean valid) {
        assertThat(KubernetesSyntax.isQualifiedName("a".repeat(length))).isEqualTo(valid);
        assertThat(KubernetesSyntax.isQualifiedName("example.com/" + "a".repeat(length))).isEqualTo(valid);
        assertThat(KubernetesSyntax.isLabelValue("a".repeat(length))).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"253, true", "254, false"})
    void labelKeyPrefixesUpTo253Characters(int length, boolean valid) {
        String prefix = ("a".repeat(63) + ".").repeat(3) + "a".repeat(length - 3 * 64);
        assertThat(KubernetesSyntax.isQualifiedName(prefix + "/name")).isEqualTo(valid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "with_underscore", "a.b"})
    void labelValuesKubernetesTakes(String value) {
        assertThat(KubernetesSyntax.isLabelValue(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
            "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "with space"})
    void labelValuesKubernetesRefuses(String value) {
        assertThat(KubernetesSyntax.isLabelValue(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_com", "test.com:tag", "test.com:5000", "test.com/repo:tag", "test:5000/repo", "test:5000/repo:tag",
            "test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "lowercase:Uppercase",
            "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "b.gcr.io/test.example.com/my-app:test.example.com",
            "xn--n3h.com/myimage:xn--n3h.com", "foo_bar.com:8080", "foo/foo_bar.com:8080", "a/a/a/a", "Docker.Example.COM/library/ubuntu",
            "distillation-trainer:0.1.0-SNAPSHOT-cuda", "localhost:5000/ml/distillation-trainer"})
    void imageReferencesRegistriesTake(String image) {
        assertThat(KubernetesSyntax.isImageReference(image)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":justtag", "@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff ", "repo@sha256:fff",
            "Uppercase:tag", "test:5000/Uppercase/lowercase:tag", "aa/asdf$$^/aa", "a:tag with space", "repo:-tag", "a//b", "a/", "-a/b"})
    void imageReferencesRegistriesRefuse(String image) {
        assertThat(KubernetesSyntax.isImageReference(image)).isFalse();
    }
}
