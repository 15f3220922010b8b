package io.pbtnas.testkit.kubelet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One started container: a local process, or an injected failure that never ran one. */
interface Execution {

  Instant startedAt();

  ContainerResult await() throws InterruptedException;

  void terminate(Duration grace);

  void kill();

  /** Starts {@code command} with the launch's env (over the JVM's), working dir and log file. */
  static Execution start(ContainerLaunch launch, List<String> command, Path logFile, String messagePolicy)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(launch.workingDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(launch.env());
    RunningContainer running = RunningContainer.start(pb);
    Instant started = running.startedAt();
    return new Execution() {
      @Override
      public Instant startedAt() {
        return started;
      }

      @Override
      public ContainerResult await() throws InterruptedException {
        int exit = running.waitForExit();
        String message = TerminationMessage.read(launch.terminationMessageFile(), logFile, messagePolicy, exit);
        return ContainerResult.exited(exit, message, started, Instant.now());
      }

      @Override
      public void terminate(Duration grace) {
        running.terminate(grace);
      }

      @Override
      public void kill() {
        running.kill();
      }
    };
  }

  /** A container that ends at once without running anything (an injected fault, a start error). */
  static Execution failed(int exitCode, String reason, String message) {
    Instant now = Instant.now();
    ContainerResult result = new ContainerResult(exitCode, reason, message, now, now);
    return new Execution() {
      @Override
      public Instant startedAt() {
        return now;
      }

      @Override
      public ContainerResult await() {
        return result;
      }

      @Override
      public void terminate(Duration grace) {
      }

      @Override
      public void kill() {
      }
    };
  }
}
