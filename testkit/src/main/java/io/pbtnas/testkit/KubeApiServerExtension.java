package io.pbtnas.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;

/** See {@link WithKubeApiServer}. */
public final class KubeApiServerExtension extends PerTestNamespaceExtension<TestApiServer> {

  public KubeApiServerExtension() {
    super(TestApiServer.class);
  }

  @Override
  TestApiServer cluster(ExtensionContext context) {
    return TestApiServer.shared();
  }

  @Override
  KubernetesClient newClient(TestApiServer server, String namespace) {
    return server.newClient(namespace);
  }
}
