package io.pbtnas.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.TestApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Points the operator under test at a real kube-apiserver (testkit's JVM-wide one) and installs the
 * committed CRD there, as the Helm chart would: the tests exercise exactly what users apply.
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
    public static final Path CRD = Path.of("..", "crds", "pbtnas.io_pbtnassearches.yaml");

    @Override
    public Map<String, String> start() {
        // Quarkus runs test resources with another context class loader; fabric8's ServiceLoader lookups
        // must see the same classes as the client, or model classes are "not a subtype".
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KubeApiServerResource.class.getClassLoader());
        try {
            return startWithClassLoader();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Map<String, String> startWithClassLoader() {
        TestApiServer api = TestApiServer.shared();
        System.out.println("[operator-it] kube-apiserver started in " + api.startupTime().toMillis() + " ms");
        try (KubernetesClient client = api.newClient(); var in = new FileInputStream(CRD.toFile())) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(crd).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream().anyMatch(
                                    x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not install " + CRD + " on the test API server: " + e.getMessage(), e);
        }
        Config c = api.clientConfig();
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.kubernetes-client.api-server-url", c.getMasterUrl());
        // Inline data, not file paths: Quarkus fixes the *-file properties at build time.
        put(props, "quarkus.kubernetes-client.ca-cert-data", data(c.getCaCertData(), c.getCaCertFile()));
        put(props, "quarkus.kubernetes-client.client-cert-data", data(c.getClientCertData(), c.getClientCertFile()));
        put(props, "quarkus.kubernetes-client.client-key-data", data(c.getClientKeyData(), c.getClientKeyFile()));
        put(props, "quarkus.kubernetes-client.token", c.getAutoOAuthToken());
        return props;
    }

    private static String data(String inline, String file) {
        if (inline != null && !inline.isBlank()) {
            return inline;
        }
        try {
            return file == null ? null : java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(Path.of(file)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void put(Map<String, String> props, String key, String value) {
        if (value != null && !value.isBlank()) {
            props.put(key, value);
        }
    }

    @Override
    public void stop() {
        // The shared server stops with the JVM (testkit's shutdown hook).
    }
}
