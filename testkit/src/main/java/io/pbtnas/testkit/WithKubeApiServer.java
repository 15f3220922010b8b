package io.pbtnas.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the JVM-wide real API server ({@link TestApiServer#shared()}).
 * Each test gets a fresh namespace; test methods (and constructors) may declare parameters of type
 * {@link TestNamespace}, {@link io.fabric8.kubernetes.client.KubernetesClient} (defaulting to that
 * namespace) or {@link TestApiServer}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(KubeApiServerExtension.class)
public @interface WithKubeApiServer {
}
