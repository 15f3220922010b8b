package io.pbtnas.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link WithRealNode}. */
public final class RealNodeExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealNodeExtension.class);
  private static final Duration DEFAULT_SA_TIMEOUT = Duration.ofSeconds(30);

  /** Held in the root context's store, so JUnit releases the node when the whole run ends. */
  private record Held(RealNode node) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  private static RealNode node(ExtensionContext context) {
    return context.getRoot().getStore(STORE)
        .computeIfAbsent(Held.class, k -> new Held(RealNode.shared()), Held.class).node();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespaceFor(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace ns = context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    if (ns != null) {
      try {
        // the namespace controller deletes what the test left; no need to wait for it
        ns.client().namespaces().withName(ns.name()).delete();
      } finally {
        ns.client().close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNamespace.class || type == KubernetesClient.class || type == RealNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == RealNode.class) {
      return node(context);
    }
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(type.getSimpleName()
          + " is per test: declare it on the test method, not the constructor or a class-level callback");
    }
    TestNamespace ns = namespaceFor(context);
    return type == TestNamespace.class ? ns : ns.client();
  }

  private static TestNamespace namespaceFor(ExtensionContext context) {
    return context.getStore(STORE).computeIfAbsent(TestNamespace.class, k -> {
      String name = TestNamespace.nameFor(context.getRequiredTestMethod().getName(),
          UUID.randomUUID().toString().substring(0, 5));
      KubernetesClient client = node(context).newClient(name);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
          .build()).create();
      // the service-account admission rejects pods until the controller-manager made "default"
      client.serviceAccounts().inNamespace(name).withName("default")
          .waitUntilCondition(sa -> sa != null, DEFAULT_SA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return new TestNamespace(name, client);
    }, TestNamespace.class);
  }
}
