package io.pbtnas.testkit.kueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a serving certificate for 127.0.0.1 signed by it (openssl, RSA 2048, two
 * days), so the API server can call a webhook served on this machine by URL. Files in {@code dir}:
 * {@code ca.crt}, {@code tls.crt}, {@code tls.key} (the names controller-runtime's webhook server reads).
 */
public record WebhookCertificates(Path dir) {

  public static WebhookCertificates create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
        StandardCharsets.UTF_8);
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pbtnas-test-webhook-ca",
        "-keyout", "ca.key", "-out", "ca.crt");
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "tls.key", "-out", "tls.csr");
    openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "san.ext", "-out", "tls.crt");
    return new WebhookCertificates(dir);
  }

  /** The CA, base64 of its PEM, as a webhook's {@code clientConfig.caBundle} takes it. */
  public String caBundle() throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("ca.crt")));
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("openssl " + String.join(" ", args) + " failed in " + dir + ": "
            + Files.readString(log, StandardCharsets.UTF_8).strip() + " (the Kueue tests need openssl on PATH)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running openssl", e);
    }
  }
}
