package io.pbtnas.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/** See {@link WithRealNode}. */
public final class RealNodeExtension extends PerTestNamespaceExtension<RealNode> {

  private static final ExtensionContext.Namespace ROOT_STORE = ExtensionContext.Namespace.create(RealNodeExtension.class);
  private static final Duration DEFAULT_SA_TIMEOUT = Duration.ofSeconds(30);

  /** Held in the root context's store, so JUnit releases the node when the whole run ends. */
  private record Held(RealNode node) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  public RealNodeExtension() {
    super(RealNode.class);
  }

  @Override
  RealNode cluster(ExtensionContext context) {
    return context.getRoot().getStore(ROOT_STORE)
        .computeIfAbsent(Held.class, k -> new Held(RealNode.shared()), Held.class).node();
  }

  @Override
  KubernetesClient newClient(RealNode node, String namespace) {
    return node.newClient(namespace);
  }

  @Override
  void prepared(KubernetesClient client, String namespace) {
    // the service-account admission rejects pods until the controller-manager made "default"
    client.serviceAccounts().inNamespace(namespace).withName("default")
        .waitUntilCondition(sa -> sa != null, DEFAULT_SA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
