package io.pbtnas.testkit.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs test-env/node.sh. By default the copy packaged into this jar (with lib.sh, test-images.sh and
 * versions.env, so the script matches the pins the jar was built with), unpacked to a temp dir;
 * system property {@code pbtnas.nodeScript} points at another node.sh.
 */
public final class NodeScript {

  public static final String SCRIPT_PROPERTY = "pbtnas.nodeScript";
  static final String RESOURCE_DIR = "/io/pbtnas/testkit/test-env/";
  static final List<String> FILES = List.of("node.sh", "lib.sh", "test-images.sh", "versions.env");

  private final Path script;

  private NodeScript(Path script) {
    this.script = script;
  }

  public static NodeScript resolve() {
    String explicit = System.getProperty(SCRIPT_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("-D" + SCRIPT_PROPERTY + "=" + explicit + " is not a file: point it at test-env/node.sh");
      }
      return new NodeScript(p);
    }
    return new NodeScript(unpack());
  }

  private static Path unpack() {
    try {
      Path dir = Files.createTempDirectory("pbtnas-node-script");
      dir.toFile().deleteOnExit();
      for (String name : FILES) {
        try (InputStream in = NodeScript.class.getResourceAsStream(RESOURCE_DIR + name)) {
          if (in == null) {
            throw new IllegalStateException("classpath resource " + RESOURCE_DIR + name
                + " is missing: pbtnas-testkit must be built with test-env/ next to it");
          }
          Path target = dir.resolve(name);
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          target.toFile().deleteOnExit();
        }
      }
      return dir.resolve("node.sh");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack test-env/node.sh from the testkit jar", e);
    }
  }

  public Path path() {
    return script;
  }

  /** The outcome of one node.sh call: exit code, stdout, stderr (its log lines). */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The last lines of stderr, where node.sh says what failed. */
    public String stderrTail(int lines) {
      List<String> all = stderr.lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  /** Runs {@code bash node.sh args...}, waiting at most {@code timeoutSeconds}. */
  public Result run(long timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("pbtnas-node", ".out");
      Path err = Files.createTempFile("pbtnas-node", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          return new Result(124, Files.readString(out), Files.readString(err)
              + "\n" + String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
