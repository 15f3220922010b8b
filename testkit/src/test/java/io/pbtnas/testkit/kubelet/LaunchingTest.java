package io.pbtnas.testkit.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchingTest {

  private static ContainerLaunch launch(List<String> command, List<String> args) {
    return new ContainerLaunch("ns", "p", "uid", "c", false, "img", command, args, Map.of(), Path.of("/tmp"),
        List.of(), Path.of("/tmp/t"));
  }

  @Test
  void allowListPrefersExactThenLongestPrefixAndRejectsTheRest() {
    Launcher a = c -> List.of("a");
    Launcher b = c -> List.of("b");
    Launcher exact = c -> List.of("exact");
    ImageAllowList list = new ImageAllowList(Map.of("pbtnas/*", a, "pbtnas/trainer:*", b, "pbtnas/trainer:1", exact));
    assertEquals(List.of("exact"), list.launcherFor("pbtnas/trainer:1").orElseThrow().command(null));
    assertEquals(List.of("b"), list.launcherFor("pbtnas/trainer:2").orElseThrow().command(null));
    assertEquals(List.of("a"), list.launcherFor("pbtnas/operator:2").orElseThrow().command(null));
    assertTrue(list.launcherFor("busybox").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new ImageAllowList(Map.of("pbtnas/*:1", a)));
  }

  @Test
  void entrypointReplacesTheExecutableOrPrefixesArgs() {
    Launcher l = Launchers.entrypoint(List.of("java", "-cp", "x", "Main"));
    assertEquals(List.of("java", "-cp", "x", "Main", "mix", "--a", "--b"),
        l.command(launch(List.of("pbtnas", "mix", "--a"), List.of("--b"))));
    assertEquals(List.of("java", "-cp", "x", "Main", "--b"), l.command(launch(List.of(), List.of("--b"))));
    assertThrows(IllegalArgumentException.class, () -> Launchers.asIs().command(launch(List.of(), List.of("x"))));
  }

  @Test
  void terminationMessageFallsBackToTheLogTailOnlyWhenAskedAndFailed(@TempDir Path dir) throws Exception {
    Path msg = Files.createFile(dir.resolve("msg"));
    Path log = Files.writeString(dir.resolve("log"), "line1\nline2\n");
    assertEquals("", TerminationMessage.read(msg, log, "File", 1));
    assertEquals("", TerminationMessage.read(msg, log, "FallbackToLogsOnError", 0));
    assertEquals("line1\nline2\n", TerminationMessage.read(msg, log, "FallbackToLogsOnError", 1));
    Files.writeString(msg, "x".repeat(5000));
    assertEquals(4096, TerminationMessage.read(msg, log, "FallbackToLogsOnError", 1).length());
  }
}
