package io.pbtnas.testkit.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Common {@link Launcher}s. */
public final class Launchers {

  private Launchers() {
  }

  /**
   * Runs the container's command and args as they are, on this machine (for tests whose pods run
   * {@code sh -c ...}). The pod must give a command: there is no image entrypoint to fall back on.
   */
  public static Launcher asIs() {
    return c -> {
      if (c.command().isEmpty()) {
        throw new IllegalArgumentException("container '" + c.containerName() + "' of pod " + c.namespace() + "/"
            + c.podName() + " has no command: Launchers.asIs() needs spec.containers[].command");
      }
      List<String> cmd = new ArrayList<>(c.command());
      cmd.addAll(c.args());
      return cmd;
    };
  }

  /**
   * Models an image whose ENTRYPOINT is {@code entrypoint}: without a pod command it runs
   * {@code entrypoint + args}; with one, the command's executable (its first word, e.g.
   * {@code pbtnas}) is taken to be that entrypoint and replaced by it:
   * {@code entrypoint + command[1..] + args}.
   */
  public static Launcher entrypoint(List<String> entrypoint) {
    List<String> fixed = List.copyOf(entrypoint);
    return c -> {
      List<String> cmd = new ArrayList<>(fixed);
      if (!c.command().isEmpty()) {
        cmd.addAll(c.command().subList(1, c.command().size()));
      }
      cmd.addAll(c.args());
      return cmd;
    };
  }

  /** {@code <this JVM's java> [jvmArgs] -cp classpath mainClass}, for {@link #entrypoint}. */
  public static List<String> java(String classpath, String mainClass, String... jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    return cmd;
  }
}
