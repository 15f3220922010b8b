package io.pbtnas.testkit.s3;

import io.pbtnas.testkit.VersionPins;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A real S3 server for the tests: versitygw (built by test-env/build.sh) with its posix back end on
 * a temporary folder and its metadata in a sidecar folder beside it, so no xattrs are needed.
 * Listens on 127.0.0.1 (or a given address, e.g. the real node's IP, so that pods reach it) on a free port. {@link #stop()} and {@link #start()} again keep the port, the
 * credentials and the data, for tests of a gateway that goes away mid-transfer.
 */
public final class VersityGateway implements AutoCloseable {

  public static final String BINARY_PROPERTY = "pbtnas.versitygw";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private final Path binary;
  private final Path dir;
  private final S3Endpoint endpoint;
  private final int port;
  private Process process;

  private final String host;

  private VersityGateway(Path binary, Path dir, String host, int port) {
    this.binary = binary;
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.endpoint = new S3Endpoint(URI.create("http://" + host + ":" + port),
        "test-" + UUID.randomUUID().toString().substring(0, 8), UUID.randomUUID().toString(), "us-east-1");
  }

  /** Starts a gateway on a new temporary folder; close it when done. */
  public static VersityGateway startNew() throws IOException {
    return startNew("127.0.0.1");
  }

  /** As {@link #startNew()}, listening on {@code host} (an IPv4 address of this machine). */
  public static VersityGateway startNew(String host) throws IOException {
    return start(Files.createTempDirectory("pbtnas-s3-"), host);
  }

  /**
   * As {@link #startNew()}, its data in a new folder under {@code parent} (which must exist): for a
   * benchmark whose objects must be on a real disk, where the default temporary folder may be a tmpfs.
   * {@link #close()} deletes that new folder only.
   */
  public static VersityGateway startUnder(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      throw new IOException("startUnder: " + parent + " is not a directory; create it first (the gateway's data "
          + "goes in a new folder inside it)");
    }
    return start(Files.createTempDirectory(parent, "pbtnas-s3-"), "127.0.0.1");
  }

  private static VersityGateway start(Path dir, String host) throws IOException {
    Path binary = binary(System.getProperties(), System.getenv(), VersionPins.packaged("VERSITYGW_VERSION"));
    VersityGateway g = new VersityGateway(binary, dir, host, freePort());
    g.start();
    return g;
  }

  /**
   * Where test-env/build.sh put the binary: system property {@value #BINARY_PROPERTY}, else env
   * {@code VERSITYGW}, else {@code ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/versitygw/v<version>/versitygw}.
   */
  static Path binary(Properties props, Map<String, String> env, String version) {
    String explicit = props.getProperty(BINARY_PROPERTY);
    if (explicit == null || explicit.isBlank()) {
      explicit = env.get("VERSITYGW");
    }
    Path p;
    if (explicit != null && !explicit.isBlank()) {
      p = Path.of(explicit);
    } else {
      String cache = env.get("PBTNAS_CACHE_DIR");
      Path root = cache != null && !cache.isBlank() ? Path.of(cache)
          : Path.of(props.getProperty("user.home"), ".cache", "pbtnas");
      p = root.resolve("versitygw").resolve("v" + version).resolve("versitygw");
    }
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException("No versitygw " + version + " at " + p + ": run test-env/build.sh first (it"
          + " builds the tests' S3 server from source; set -D" + BINARY_PROPERTY + " or VERSITYGW if you built it"
          + " elsewhere)");
    }
    return p;
  }

  public S3Endpoint endpoint() {
    return endpoint;
  }

  /** Starts (or starts again) the gateway; returns once it accepts connections. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path root = dir.resolve("root");
    Path meta = dir.resolve("meta"); // outside root: versitygw refuses a sidecar inside it
    Files.createDirectories(root);
    Files.createDirectories(meta);
    Path log = dir.resolve("versitygw.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "--port", host + ":" + port,
        "posix", "--sidecar", meta.toAbsolutePath().toString(), root.toAbsolutePath().toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("ROOT_ACCESS_KEY", endpoint.accessKeyId());
    pb.environment().put("ROOT_SECRET_KEY", endpoint.secretAccessKey());
    process = pb.start();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (!accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "did not listen within " + STARTUP_TIMEOUT.toSeconds() + " s"
            : "exited with " + process.exitValue();
        process.destroyForcibly();
        throw new IOException("versitygw on " + host + ":" + port + " " + why + "; its log " + log + ":\n" + tail(log));
      }
      sleep();
    }
  }

  /** Stops the gateway (data kept): what a client sees when the server goes away. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /**
   * The gateway's process id while it runs (e.g. to read its I/O counters in /proc), or -1 when it is
   * stopped; a restarted gateway has a new one.
   */
  public synchronized long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  /** The folder a bucket's objects live in (posix back end: one file per object). */
  public Path bucketDir(String bucket) {
    return dir.resolve("root").resolve(bucket);
  }

  @Override
  public void close() throws IOException {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) { // free on every address, the node IP included
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for versitygw to listen");
    }
  }
}
