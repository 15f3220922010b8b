package io.pbtnas.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.kueue.TestKueue;
import org.junit.jupiter.api.extension.ExtensionContext;

/** See {@link WithKueue}. */
public final class KueueExtension extends PerTestNamespaceExtension<TestKueue> {

  public KueueExtension() {
    super(TestKueue.class);
  }

  @Override
  TestKueue cluster(ExtensionContext context) {
    return TestKueue.shared();
  }

  @Override
  KubernetesClient newClient(TestKueue kueue, String namespace) {
    return TestApiServer.shared().newClient(namespace);
  }

  @Override
  void createNamespace(TestKueue kueue, KubernetesClient client, String name) {
    kueue.createManagedNamespace(name);
  }
}
