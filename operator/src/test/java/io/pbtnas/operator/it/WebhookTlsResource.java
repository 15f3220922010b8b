package io.pbtnas.operator.it;

import io.pbtnas.testkit.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Gives the operator under test a serving certificate for 127.0.0.1, so it opens its HTTPS port and
 * the test API server can call its admission webhook by URL. The CA is published as a system
 * property for the test that registers the webhook.
 */
public class WebhookTlsResource implements QuarkusTestResourceLifecycleManager {
    public static final String CA_BUNDLE_PROPERTY = "pbtnas.it.webhookCaBundle";
    static final String DIR_PROPERTY = "pbtnas.it.webhookTlsDir";
    static final List<String> SANS = List.of("IP:127.0.0.1");

    @Override
    public Map<String, String> start() {
        try {
            TestCertificates certs = TestCertificates.create(Files.createTempDirectory("pbtnas-webhook-tls-"), SANS);
            System.setProperty(CA_BUNDLE_PROPERTY, certs.caBundle());
            System.setProperty(DIR_PROPERTY, certs.dir().toString());
            return Map.of("quarkus.http.ssl.certificate.files", certs.certificate().toString(),
                    "quarkus.http.ssl.certificate.key-files", certs.key().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA that signed the operator's certificate, base64 as a webhook's caBundle wants it. */
    public static String caBundle() {
        String ca = System.getProperty(CA_BUNDLE_PROPERTY);
        if (ca == null) {
            throw new IllegalStateException("WebhookTlsResource has not run: annotate the test with it");
        }
        return ca;
    }

    /** The files the operator serves, e.g. to renew them while it runs. */
    public static TestCertificates certificates() {
        caBundle();
        return new TestCertificates(Path.of(System.getProperty(DIR_PROPERTY)), SANS);
    }

    @Override
    public void stop() {
    }
}
