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

/** See {@link WithKubeApiServer}. */
public final class KubeApiServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    TestApiServer.shared();
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
        // no namespace controller runs, so this only marks it Terminating; the name is never reused
        ns.client().namespaces().withName(ns.name()).delete();
      } finally {
        ns.client().close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNamespace.class || type == KubernetesClient.class || type == TestApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestApiServer.class) {
      return TestApiServer.shared();
    }
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(type.getSimpleName()
          + " is per test: declare it on the test method, not the constructor or a class-level callback");
    }
    TestNamespace ns = namespaceFor(context);
    return type == TestNamespace.class ? ns : ns.client();
  }

  private static TestNamespace namespaceFor(ExtensionContext context) {
    return context.getStore(STORE).getOrComputeIfAbsent(TestNamespace.class, k -> {
      String name = TestNamespace.nameFor(context.getRequiredTestMethod().getName(),
          UUID.randomUUID().toString().substring(0, 5));
      KubernetesClient client = TestApiServer.shared().newClient(name);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
          .build()).create();
      return new TestNamespace(name, client);
    }, TestNamespace.class);
  }
}
