package dev.distillation.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link ClusterTest} whose chains run for real on the real node, reconciled by the operator
 * the chart installed ({@link InstalledOperator}): its {@link TestNamespace} is that operator's
 * watched namespace (restricted Pod Security), shared by every such class and kept until the
 * end; its chains should be placed with {@link RealNode#place}. An {@link InstalledOperator}
 * parameter gives the installation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClusterTest
public @interface RealNodeTest {
}
