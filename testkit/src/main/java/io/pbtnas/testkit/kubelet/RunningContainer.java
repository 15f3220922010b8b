package io.pbtnas.testkit.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container's local process. Like a container's PID namespace, everything it started goes down
 * with it: the command runs as the leader of its own process group (via util-linux {@code setsid}
 * when present), and stopping signals that group plus every descendant seen at that moment.
 */
final class RunningContainer {

  private static final Optional<Path> SETSID = locate("setsid");

  private final Process process;
  private final Instant startedAt;

  private RunningContainer(Process process, Instant startedAt) {
    this.process = process;
    this.startedAt = startedAt;
  }

  /** Starts {@code pb} in a new session so that the whole process group can be signalled. */
  static RunningContainer start(ProcessBuilder pb) throws IOException {
    if (SETSID.isPresent()) {
      List<String> wrapped = new ArrayList<>();
      wrapped.add(SETSID.get().toString());
      wrapped.addAll(pb.command());
      pb.command(wrapped);
    }
    Instant started = Instant.now();
    return new RunningContainer(pb.start(), started);
  }

  Instant startedAt() {
    return startedAt;
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the main process, then kills what it left behind, as a container runtime would. */
  int waitForExit() throws InterruptedException {
    int exit = process.waitFor();
    signalGroup("KILL");
    return exit;
  }

  /** SIGTERM to the tree, then SIGKILL to whatever is left after {@code grace}. */
  void terminate(Duration grace) {
    List<ProcessHandle> tree = tree();
    signalGroup("TERM");
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    // children that ignored SIGTERM must not outlive the pod
    signalGroup("KILL");
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** SIGKILL to the whole tree now. */
  void kill() {
    List<ProcessHandle> tree = tree();
    signalGroup("KILL");
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  private List<ProcessHandle> tree() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    return all;
  }

  /** Java cannot signal a process group; the shell's kill builtin can. */
  private void signalGroup(String signal) {
    if (SETSID.isEmpty()) {
      return;
    }
    try {
      new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + process.pid() + " 2>/dev/null")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      // no shell: the descendant snapshot is still signalled by the callers
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True while {@code pid} exists and is not a zombie (an exited child nobody reaped yet). */
  static boolean isRunning(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      char state = s.charAt(s.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private static Optional<Path> locate(String binary) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
