package io.pbtnas.testkit.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeEnvTest {

  @Test
  void parsesTheLinesNodeShPrints() {
    NodeEnv env = NodeEnv.parse("some log line\nNODE_NAME=vm\nNODE_IP=192.0.2.2\nKUBECONFIG=/var/lib/pbtnas-node/admin.kubeconfig\n");
    assertEquals(new NodeEnv("vm", "192.0.2.2", Path.of("/var/lib/pbtnas-node/admin.kubeconfig")), env);
  }

  @Test
  void aMissingLineIsNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NodeEnv.parse("NODE_NAME=vm\nKUBECONFIG=/k\n"));
    assertTrue(e.getMessage().contains("NODE_IP"), e.getMessage());
  }
}
