package io.pbtnas.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the real single-node cluster ({@link RealNode#shared()}): brought up
 * once per test run (or joined when already up) and released when the run ends. Each test gets a
 * fresh namespace; test methods may declare parameters of type {@link TestNamespace},
 * {@link io.fabric8.kubernetes.client.KubernetesClient} (admin, defaulting to that namespace) or
 * {@link RealNode}. A node that cannot come up fails the tests with the reason; they are never skipped.
 * Name such test classes {@code *OnNodeTest}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RealNodeExtension.class)
public @interface WithRealNode {
}
