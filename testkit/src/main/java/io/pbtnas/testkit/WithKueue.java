package io.pbtnas.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * As {@link WithKubeApiServer}, with a real Kueue ({@link io.pbtnas.testkit.kueue.TestKueue#shared()})
 * on that server, and each test's namespace one Kueue manages. Parameters: {@link TestNamespace},
 * {@link io.fabric8.kubernetes.client.KubernetesClient} and {@link io.pbtnas.testkit.kueue.TestKueue}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(KueueExtension.class)
public @interface WithKueue {
}
