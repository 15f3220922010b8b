package io.pbtnas.testkit.kubelet;

import java.time.Instant;

/** How a container ended, as its status reports it. */
public record ContainerResult(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt) {

  static ContainerResult exited(int exitCode, String message, Instant startedAt, Instant finishedAt) {
    return new ContainerResult(exitCode, exitCode == 0 ? "Completed" : "Error", message, startedAt, finishedAt);
  }
}
