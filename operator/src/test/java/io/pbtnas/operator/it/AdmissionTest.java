package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.cli.validate.ValidateCommand;
import io.pbtnas.operator.admission.SearchAdmission;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.testkit.TestApiServer;
import io.pbtnas.testkit.TestCertificates;
import io.pbtnas.testkit.TestEnvironment;
import io.pbtnas.testkit.ValidationCase;
import io.pbtnas.testkit.ValidationCases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's admission webhook behind the real API server: the operator serves it over HTTPS
 * (test certificates), a ValidatingWebhookConfiguration registered by URL points the API server at
 * it, and every case of the shared validation table gets the same verdict from `kubectl apply
 * --dry-run=server` (CRD schema, CEL and the webhook together) as from `pbtnas validate -f` (with
 * {@code --old} for an edit, whose old object is first created for real), the table's verdict, and
 * every refusal from either names the case's field.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = WebhookTlsResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionTest {
    private static final String LABEL = "pbtnas.io/admission-test";

    @TestHTTPResource(value = SearchAdmission.PATH, tls = true)
    URL webhook;

    /** The same path on the plain HTTP port, where health and metrics are served. */
    @TestHTTPResource(value = SearchAdmission.PATH)
    URL plain;

    private KubernetesClient client;
    private String namespace;
    private String configuration;
    private Path kubeconfig;
    private Path work;

    @BeforeAll
    void register() throws Exception {
        namespace = "t-admission-" + UUID.randomUUID().toString().substring(0, 6);
        configuration = namespace;
        client = TestApiServer.shared().newClient(namespace);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        work = Files.createTempDirectory("pbtnas-admission-");
        kubeconfig = TestApiServer.shared().writeKubeConfig(work.resolve("kubeconfig"));
        // Only this test's namespaces, once labelled: the other tests of this JVM share the API server.
        ValidatingWebhookConfiguration vwc = new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(configuration).endMetadata()
                .addNewWebhook()
                .withName("validate.pbtnas.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Fail")
                .withMatchPolicy("Equivalent")
                .withTimeoutSeconds(10)
                .withNewNamespaceSelector().withMatchLabels(Map.of(LABEL, configuration)).endNamespaceSelector()
                .withNewClientConfig().withUrl("https://127.0.0.1:" + webhook.getPort() + SearchAdmission.PATH)
                .withCaBundle(WebhookTlsResource.caBundle()).endClientConfig()
                .addNewRule().withApiGroups("pbtnas.io").withApiVersions("v1alpha1").withResources("pbtnassearches")
                .withOperations("CREATE", "UPDATE").withScope("Namespaced").endRule()
                .endWebhook()
                .build();
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(vwc).create();
    }

    @AfterAll
    void unregister() {
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(configuration).delete();
        client.namespaces().withName(namespace).delete();
        client.close();
    }

    @Test
    void pbtnasValidateAndTheApiServerAgreeOnEveryCaseAndEachRefusalNamesItsField() throws Exception {
        labelForTheWebhook();
        List<String> wrong = new ArrayList<>();
        for (ValidationCase c : ValidationCases.all()) {
            String old = null;
            if (c.old().isPresent()) {
                old = file(c.name() + ".old", c.old().get()).toString();
                Kubectl.Result created = kubectl("apply", "-f", old);
                assertEquals(0, created.exit(), c.name() + ": the old object must be created: " + created.output());
            }
            Path manifest = file(c.name(), c.manifest());
            Kubectl.Result r = kubectl("apply", "--dry-run=server", "-f", manifest.toString());
            ValidateCommand.Outcome offline = ValidateCommand.validate(List.of(manifest.toString()), old,
                    InputStream.nullInputStream());
            String offlineSays = String.join("\n", offline.problems());
            if ((offline.exitCode() == ValidateCommand.VALID) != (r.exit() == 0)) {
                wrong.add(c.name() + ": pbtnas validate (exit " + offline.exitCode() + ": " + offlineSays
                        + ") and the API server (exit " + r.exit() + ": " + r.output().strip() + ") disagree");
            } else if (!c.valid() && !offlineSays.contains(c.field())) {
                wrong.add(c.name() + ": pbtnas validate refused it without naming " + c.field() + ": " + offlineSays);
            }
            if (c.valid() && r.exit() != 0) {
                wrong.add(c.name() + " (valid) was refused: " + r.output());
            } else if (!c.valid() && r.exit() == 0) {
                wrong.add(c.name() + " (invalid, " + c.field() + ": " + c.why() + ") was accepted: " + r.output());
            } else if (!c.valid() && !r.output().contains(c.field())) {
                wrong.add(c.name() + " was refused without naming " + c.field() + ": " + r.output());
            }
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    /**
     * An object admitted while the webhook was not there (here: before its namespace was labelled) can
     * still be relabelled and deleted, and its finalizer removed by the operator; a spec edit is judged.
     */
    @Test
    void anInvalidObjectAdmittedEarlierCanStillBeEditedInMetadataAndDeleted() throws Exception {
        String other = namespace + "-old";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build())
                .create();
        try {
            ValidationCase quantity = ValidationCases.all().stream()
                    .filter(c -> c.name().equals("43-memory-not-a-quantity")).findFirst().orElseThrow();
            Path file = file("early", quantity.manifest());
            Kubectl.Result admitted = kubectl("apply", "-n", other, "-f", file.toString());
            assertEquals(0, admitted.exit(), "without the webhook the CRD admits it: " + admitted.output());
            String name = client.resources(PbtNasSearch.class).inNamespace(other).list().getItems().get(0)
                    .getMetadata().getName();
            // The operator takes it (finalizer) and pauses it: its spec is invalid.
            client.resources(PbtNasSearch.class).inNamespace(other).withName(name).waitUntilCondition(
                    s -> s != null && !s.getMetadata().getFinalizers().isEmpty(), 60, TimeUnit.SECONDS);

            client.namespaces().withName(other).edit(n -> new NamespaceBuilder(n).editMetadata()
                    .addToLabels(LABEL, configuration).endMetadata().build());
            awaitWebhook(other);
            Kubectl.Result label = kubectl("label", "-n", other, "pbtnassearch", name, "team=a");
            assertEquals(0, label.exit(), "a metadata-only edit must pass: " + label.output());
            Kubectl.Result edit = kubectl("patch", "-n", other, "pbtnassearch", name, "--type=merge",
                    "-p", "{\"spec\":{\"generations\":3}}");
            assertTrue(edit.exit() != 0 && edit.output().contains("spec.trainer.resources.requests.memory"),
                    "a spec edit that leaves it invalid is judged: " + edit.output());
            Kubectl.Result delete = kubectl("delete", "-n", other, "pbtnassearch", name, "--wait=true",
                    "--timeout=60s");
            assertEquals(0, delete.exit(), "deleting it (the operator removes its finalizer) must pass: "
                    + delete.output());
            assertEquals(List.of(), client.resources(PbtNasSearch.class).inNamespace(other).list().getItems());
        } finally {
            client.namespaces().withName(other).delete();
        }
    }

    /** Admission reviews carry whole objects: the webhook answers over TLS only, never on the plain port. */
    @Test
    void thePlainHttpPortDoesNotServeTheWebhook() throws Exception {
        assertEquals("http", plain.getProtocol());
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(plain.toURI()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), r.body());
    }

    /**
     * The certificate renewed on disk (new key, same CA, as cert-manager renews it) is served without
     * a restart once the reload period passes, and the API server keeps calling the webhook.
     */
    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        labelForTheWebhook();
        BigInteger before = servedSerial();
        TestCertificates renewed = WebhookTlsResource.certificates().renew();
        BigInteger expected;
        try (var in = Files.newInputStream(renewed.certificate())) {
            expected = ((X509Certificate) CertificateFactory
                    .getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
        assertTrue(!expected.equals(before), "the renewal made a new certificate");
        // Two reload periods (30 s in tests): the files may change just after one reload.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(75));
        BigInteger served = before;
        java.io.IOException lastFailure = null;
        while (!served.equals(expected) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            try {
                served = servedSerial();
            } catch (java.io.IOException e) {
                // Vert.x drops a connection accepted while it swaps the SSL context; the next one gets the new one.
                lastFailure = e;
            }
        }
        assertEquals(expected, served, "the operator still serves the old certificate"
                + (lastFailure == null ? "" : "; last handshake failure: " + lastFailure));
        awaitWebhook(namespace);
    }

    /** The serial number of the certificate the operator's HTTPS port presents (read, not trusted). */
    private BigInteger servedSerial() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory()
                .createSocket("127.0.0.1", webhook.getPort())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private void labelForTheWebhook() throws Exception {
        client.namespaces().withName(namespace).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels(LABEL, configuration).endMetadata().build());
        awaitWebhook(namespace);
    }

    /**
     * The API server loads webhook configurations asynchronously: wait until a manifest only the
     * webhook refuses (the CRD admits it, see the test above) is refused.
     */
    private void awaitWebhook(String ns) throws Exception {
        ValidationCase probe = ValidationCases.all().stream()
                .filter(c -> c.name().equals("43-memory-not-a-quantity")).findFirst().orElseThrow();
        Path file = file("probe", probe.manifest().replace("name: " + "case-43-memory-not-a-quantity",
                "name: webhook-probe"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Kubectl.Result r;
        do {
            r = kubectl("apply", "--dry-run=server", "-n", ns, "-f", file.toString());
            if (r.exit() != 0 && r.output().contains("spec.trainer.resources.requests.memory")) {
                return;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the API server never called the webhook at " + webhook + ": " + r.output());
    }

    private Path file(String name, String yaml) throws Exception {
        return Files.writeString(work.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
    }

    private Kubectl.Result kubectl(String... args) throws Exception {
        return Kubectl.run(TestEnvironment.resolve().binaryDir().resolve("kubectl"), kubeconfig, namespace, args);
    }
}
