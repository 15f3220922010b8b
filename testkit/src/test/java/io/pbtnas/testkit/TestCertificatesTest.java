package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
  @Test
  void theServingCertificateIsSignedByTheCaForTheGivenNames(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir, List.of("127.0.0.1", "DNS:svc.ns.svc"));
    X509Certificate ca = read(certs.caCertificate());
    X509Certificate server = read(certs.certificate());
    server.verify(ca.getPublicKey());
    assertTrue(ca.getBasicConstraints() >= 0, "the CA must be a CA");
    assertEquals(-1, server.getBasicConstraints(), "the serving certificate must not be a CA");
    Set<String> names = server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))
        .collect(Collectors.toSet());
    assertEquals(Set.of("127.0.0.1", "svc.ns.svc"), names);
    assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertTrue(Files.readString(certs.key()).contains("BEGIN PRIVATE KEY"), "PKCS#8, as Java and Vert.x read it");
    assertTrue(new String(java.util.Base64.getDecoder().decode(certs.caBundle())).contains("BEGIN CERTIFICATE"));
  }

  @Test
  void aRenewedCertificateIsNewAndSignedByTheSameCa(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir, List.of("127.0.0.1"));
    X509Certificate before = read(certs.certificate());
    String caBefore = certs.caBundle();
    X509Certificate after = read(certs.renew().certificate());
    assertTrue(!before.getSerialNumber().equals(after.getSerialNumber()), "a new certificate");
    assertEquals(caBefore, certs.caBundle(), "the same CA");
    after.verify(read(certs.caCertificate()).getPublicKey());
  }

  @Test
  void aCertificateNeedsAName(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> TestCertificates.create(dir, List.of()));
  }

  private static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
          .generateCertificates(in);
      return (X509Certificate) all.iterator().next();
    }
  }
}
