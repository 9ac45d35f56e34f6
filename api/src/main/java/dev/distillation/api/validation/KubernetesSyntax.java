package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.Bounds;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Kubernetes' API server accepts in the fields the operator copies into a Pod or volume, as
 * plain predicates: quantities, label keys and values, DNS subdomains, image references. The
 * patterns shared with the CRD's CEL rules come from {@link Bounds}; the quantity grammar is
 * Kubernetes' {@code resource.ParseQuantity}, which the CRD reaches through {@code isQuantity}.
 */
public final class KubernetesSyntax {

    /** sign, digits with an optional fraction, then a binary suffix, a decimal suffix or an integer exponent. */
    private static final Pattern QUANTITY = Pattern.compile(
            "^([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)((?:[KMGTPE]i)|[numkMGTPE]|(?:[eE][+-]?[0-9]+))?$");
    private static final Pattern QUALIFIED_NAME = Pattern.compile(Bounds.QUALIFIED_NAME);
    private static final Pattern LABEL_VALUE = Pattern.compile(Bounds.LABEL_VALUE);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Bounds.DNS_SUBDOMAIN);
    private static final Pattern IMAGE_REFERENCE = Pattern.compile(Bounds.IMAGE_REFERENCE);

    private KubernetesSyntax() {}

    /** Whether Kubernetes reads {@code text} as a quantity ("4", "500m", "8Gi", "1e3", "+.5"). */
    public static boolean isQuantity(String text) {
        return text != null && QUANTITY.matcher(text).matches();
    }

    /** A quantity greater than zero. */
    public static boolean isPositiveQuantity(Quantity quantity) {
        String text = quantity == null ? null : quantity.toString();
        if (!isQuantity(text)) {
            return false;
        }
        Matcher m = QUANTITY.matcher(text);
        m.matches();
        return !"-".equals(m.group(1)) && new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2)).signum() > 0;
    }

    /** A label key: an optional DNS-subdomain prefix of at most 253 characters and '/', then a name of at most 63. */
    public static boolean isQualifiedName(String text) {
        if (text == null || !QUALIFIED_NAME.matcher(text).matches()) {
            return false;
        }
        int slash = text.indexOf('/');
        return slash <= Bounds.QUALIFIED_NAME_PREFIX_MAX;
    }

    public static boolean isLabelValue(String text) {
        return text != null && LABEL_VALUE.matcher(text).matches();
    }

    public static boolean isDnsSubdomain(String text) {
        return text != null && text.length() <= Bounds.DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.matcher(text).matches();
    }

    public static boolean isImageReference(String text) {
        return text != null && text.length() <= Bounds.IMAGE_REFERENCE_MAX && IMAGE_REFERENCE.matcher(text).matches();
    }
}
