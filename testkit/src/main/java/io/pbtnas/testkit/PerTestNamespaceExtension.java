package io.pbtnas.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link WithKubeApiServer} and {@link WithRealNode} share: a cluster started once (the
 * subclass's {@link #cluster}), a fresh namespace per test, and the parameters {@link TestNamespace},
 * {@link KubernetesClient} (defaulting to that namespace) and the cluster's own type.
 */
abstract class PerTestNamespaceExtension<C>
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private final ExtensionContext.Namespace store = ExtensionContext.Namespace.create(getClass());
  private final Class<C> clusterType;

  PerTestNamespaceExtension(Class<C> clusterType) {
    this.clusterType = clusterType;
  }

  /** The shared cluster, started on first use. */
  abstract C cluster(ExtensionContext context);

  /** An admin client whose default namespace is {@code namespace}. */
  abstract KubernetesClient newClient(C cluster, String namespace);

  /** Creates the test's namespace; a subclass may make it another way (e.g. labelled for Kueue). */
  void createNamespace(C cluster, KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
  }

  /** Called once the test's namespace exists, before the test sees it. */
  void prepared(KubernetesClient client, String namespace) {
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespaceFor(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace ns = context.getStore(store).remove(TestNamespace.class, TestNamespace.class);
    if (ns != null) {
      try {
        // Marks it Terminating (a namespace controller, where one runs, deletes what is left); never reused.
        ns.client().namespaces().withName(ns.name()).delete();
      } finally {
        ns.client().close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNamespace.class || type == KubernetesClient.class || type == clusterType;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == clusterType) {
      return cluster(context);
    }
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(type.getSimpleName()
          + " is per test: declare it on the test method, not the constructor or a class-level callback");
    }
    TestNamespace ns = namespaceFor(context);
    return type == TestNamespace.class ? ns : ns.client();
  }

  private TestNamespace namespaceFor(ExtensionContext context) {
    return context.getStore(store).getOrComputeIfAbsent(TestNamespace.class, k -> {
      String name = TestNamespace.nameFor(context.getRequiredTestMethod().getName(),
          UUID.randomUUID().toString().substring(0, 5));
      C cluster = cluster(context);
      KubernetesClient client = newClient(cluster, name);
      createNamespace(cluster, client, name);
      prepared(client, name);
      return new TestNamespace(name, client);
    }, TestNamespace.class);
  }
}
