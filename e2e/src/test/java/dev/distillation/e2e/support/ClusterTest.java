package dev.distillation.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the e2e control plane: it gets the {@link TestCluster} and its
 * own random namespace ({@link TestNamespace}) as parameters; the namespace is deleted after the
 * class, and on a failure the namespace's Pods, chains and events are dumped to target/e2e-logs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ClusterExtension.class)
public @interface ClusterTest {
}
