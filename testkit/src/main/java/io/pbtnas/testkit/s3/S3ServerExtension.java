package io.pbtnas.testkit.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link WithS3Server}: one gateway per test class, closed with the class's context. */
public final class S3ServerExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(S3ServerExtension.class);

  /** Closed by JUnit when the class's context closes. */
  private record Held(VersityGateway gateway) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      gateway.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    gateway(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == S3Endpoint.class || type == VersityGateway.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    VersityGateway g = gateway(context);
    return parameter.getParameter().getType() == S3Endpoint.class ? g.endpoint() : g;
  }

  private static VersityGateway gateway(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(STORE).computeIfAbsent(Held.class, k -> {
      try {
        return new Held(VersityGateway.startNew());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Held.class).gateway();
  }
}
