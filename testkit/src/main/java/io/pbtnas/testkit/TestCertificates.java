package io.pbtnas.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate it signed, made with the system's {@code openssl}
 * (Debian's), for servers the test API server calls by URL: admission webhooks, and any other TLS
 * endpoint a test starts. Files are PEM: {@code ca.crt}, {@code tls.crt}, {@code tls.key} (PKCS#8).
 *
 * @param dir  where the files are
 * @param sans the subject alternative names, e.g. {@code IP:127.0.0.1}, {@code DNS:svc.ns.svc}
 */
public record TestCertificates(Path dir, List<String> sans) {

  /** Valid for a day: enough for a test run, and an old directory is obviously stale. */
  static final int DAYS = 1;

  /**
   * Makes the CA and a serving certificate for {@code sans} in {@code dir}. Each SAN is written as
   * openssl expects it: {@code IP:<address>} or {@code DNS:<name>}; a bare name is taken as DNS, a bare
   * dotted quad as IP.
   */
  public static TestCertificates create(Path dir, List<String> sans) {
    if (sans.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one subject alternative name");
    }
    List<String> typed = sans.stream().map(TestCertificates::typed).toList();
    try {
      Files.createDirectories(dir);
      Path ext = dir.resolve("server.ext");
      Files.writeString(ext, "basicConstraints=critical,CA:FALSE\n"
          + "keyUsage=critical,digitalSignature,keyEncipherment\n"
          + "extendedKeyUsage=serverAuth\n"
          + "subjectAltName=" + String.join(",", typed) + "\n", StandardCharsets.UTF_8);
      openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
          "-days", String.valueOf(DAYS), "-subj", "/CN=pbtnas-test-ca",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr",
          "-subj", "/CN=" + typed.get(0).substring(typed.get(0).indexOf(':') + 1));
      openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", "tls.crt", "-days", String.valueOf(DAYS), "-extfile", "server.ext");
    } catch (IOException e) {
      throw new UncheckedIOException("could not make test certificates in " + dir, e);
    }
    return new TestCertificates(dir, typed);
  }

  /**
   * A new key and serving certificate for the same names, signed by the same CA, as cert-manager
   * renews one: a server that re-reads its files serves it, and clients trusting the CA still connect.
   * Each file is replaced by one rename.
   */
  public TestCertificates renew() {
    try {
      Path next = Files.createTempDirectory(dir, "renew-");
      Files.copy(dir.resolve("server.ext"), next.resolve("server.ext"));
      openssl(next, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr",
          "-subj", "/CN=" + sans.get(0).substring(sans.get(0).indexOf(':') + 1));
      openssl(next, "x509", "-req", "-in", "tls.csr", "-CA", caCertificate().toString(), "-CAkey",
          dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", "tls.crt", "-days", String.valueOf(DAYS),
          "-extfile", "server.ext");
      Files.move(next.resolve("tls.key"), key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(next.resolve("tls.crt"), certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not renew the test certificate in " + dir, e);
    }
    return this;
  }

  static String typed(String san) {
    if (san.startsWith("IP:") || san.startsWith("DNS:")) {
      return san;
    }
    return (san.matches("[0-9.]+") || san.contains(":") ? "IP:" : "DNS:") + san;
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  public Path certificate() {
    return dir.resolve("tls.crt");
  }

  public Path key() {
    return dir.resolve("tls.key");
  }

  /** The CA as a webhook's {@code clientConfig.caBundle} wants it: base64 of the PEM. */
  public String caBundle() {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(caCertificate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("openssl " + String.join(" ", args) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running openssl", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
          + Files.readString(log) + " (Debian: apt-get install openssl)");
    }
  }
}
