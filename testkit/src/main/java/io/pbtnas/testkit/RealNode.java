package io.pbtnas.testkit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pbtnas.testkit.node.NodeEnv;
import io.pbtnas.testkit.node.NodeScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real single-node cluster on this machine (test-env/node.sh): kube-apiserver with Node,RBAC,
 * controller-manager, scheduler, containerd + runc, kubelet and kube-proxy, our images imported.
 *
 * <p>{@link #shared()} brings it up once per JVM, or joins one that is already up, and releases it
 * when the test run ends ({@link RealNodeExtension}) or at JVM exit; node.sh takes the node down
 * when no live process holds it any more. When the node cannot come up, every test that asks for
 * it fails with node.sh's reason (a missing binary, package, image, or the component that did
 * not start) — it never skips.
 */
public final class RealNode implements AutoCloseable {

  /** Cold: certificates, containerd, the control plane, the node Ready, images imported. */
  private static final long UP_TIMEOUT_S = 300;
  private static final long DOWN_TIMEOUT_S = 120;

  private static RealNode shared;
  private static IllegalStateException sharedFailure;

  private final NodeScript script;
  private final NodeEnv env;
  private final Duration upTime;
  private final String holder;
  private volatile boolean released;

  private RealNode(NodeScript script, NodeEnv env, Duration upTime, String holder) {
    this.script = script;
    this.env = env;
    this.upTime = upTime;
    this.holder = holder;
  }

  /** Brings the node up (or joins a running one) on behalf of this JVM. */
  public static RealNode acquire() {
    NodeScript script = NodeScript.resolve();
    String holder = Long.toString(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    NodeScript.Result r = script.run(UP_TIMEOUT_S, "acquire", holder);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("The real node did not come up (" + script.path() + " acquire exited "
          + r.exitCode() + "); node.sh says:\n" + r.stderrTail(25));
    }
    return new RealNode(script, NodeEnv.parse(r.stdout()), Duration.ofNanos(System.nanoTime() - t0), holder);
  }

  /**
   * The JVM-wide node. A failure is remembered: later callers fail at once with the same reason
   * instead of waiting for another bring-up that fails the same way.
   */
  public static synchronized RealNode shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    if (shared == null || shared.released) {
      try {
        RealNode node = acquire();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "pbtnas-real-node-release"));
        shared = node;
      } catch (RuntimeException e) {
        sharedFailure = e instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getMessage(), e);
        throw sharedFailure;
      }
    }
    return shared;
  }

  public String nodeName() {
    return env.nodeName();
  }

  public String nodeIp() {
    return env.nodeIp();
  }

  /** The admin kubeconfig node.sh wrote (system:masters). */
  public Path kubeconfig() {
    return env.kubeconfig();
  }

  /** How long acquiring took: a cold bring-up, or a few seconds when the node was already up. */
  public Duration upTime() {
    return upTime;
  }

  public String kubeConfigYaml() {
    try {
      return Files.readString(env.kubeconfig());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the node's admin kubeconfig " + env.kubeconfig(), e);
    }
  }

  public Config clientConfig() {
    return Config.fromKubeconfig(kubeConfigYaml());
  }

  /** A new admin client (the caller closes it), its default namespace set to {@code namespace}. */
  public KubernetesClient newClient(String namespace) {
    Config config = clientConfig();
    config.setNamespace(namespace);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Lets go of the node; node.sh takes it down when no other live process holds it. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    NodeScript.Result r = script.run(DOWN_TIMEOUT_S, "release", holder);
    if (r.exitCode() != 0) {
      System.err.println("[pbtnas] " + script.path() + " release " + holder + " exited " + r.exitCode()
          + ":\n" + r.stderrTail(15));
    }
  }
}
