package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.testkit.TestNamespace;
import io.pbtnas.testkit.WithKubeApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What `helm install` would send, applied server-side to a real kube-apiserver: the CRD first,
 * then every rendered object. A field the API does not know, or a wrong type, fails here.
 */
@WithKubeApiServer
class ChartOnApiServerTest {
    static Helm helm;

    @BeforeAll
    static void locateHelm() {
        helm = Helm.locate();
    }

    @Test
    void defaultInstallIsAcceptedByTheApiServer(TestNamespace ns) {
        KubernetesClient client = ns.client();
        String release = release();
        List<JsonNode> docs = Manifests.parse(helm.template(release, ns.name()));
        applyCrdsThenRest(client, docs);

        Deployment d = client.apps().deployments().inNamespace(ns.name()).withName(release + "-pbtnas").get();
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        // Read back from the server: the hardening survived validation and defaulting.
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("RuntimeDefault", d.getSpec().getTemplate().getSpec().getSecurityContext().getSeccompProfile().getType());
        assertTrue(client.rbac().clusterRoleBindings().withName(release + "-pbtnas").get() != null);
        assertTrue(client.apiextensions().v1().customResourceDefinitions().withName("pbtnassearches.pbtnas.io").get() != null);
    }

    @Test
    void namespacedInstallCreatesRolesInTheWatchedNamespaces(TestNamespace ns) {
        KubernetesClient client = ns.client();
        String release = release();
        List<String> watched = List.of(ns.name() + "-a", ns.name() + "-b");
        for (String w : watched) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(w).endMetadata().build())
                    .serverSideApply();
        }
        List<JsonNode> docs = Manifests.parse(helm.template(release, ns.name(),
                "--set-json", "watchNamespaces=[\"" + String.join("\",\"", watched) + "\"]"));
        applyCrdsThenRest(client, docs);
        for (String w : watched) {
            Role role = client.rbac().roles().inNamespace(w).withName(release + "-pbtnas").get();
            assertTrue(role != null && role.getRules().stream().anyMatch(r -> r.getResources().contains("pods")),
                    "no pod Role in " + w);
        }
        assertEquals(null, client.rbac().clusterRoles().withName(release + "-pbtnas").get(),
                "namespaced mode must not create the cluster-wide operator role");
    }

    @Test
    void serviceMonitorIsAcceptedWhenItsCrdExists(TestNamespace ns) throws IOException {
        KubernetesClient client = ns.client();
        try (InputStream in = getClass().getResourceAsStream("/servicemonitor-crd-minimal.yaml")) {
            ServerSideApply.installCrd(client, Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get(0));
        }
        String release = release();
        List<JsonNode> docs = Manifests.parse(helm.template(release, ns.name(), "--set", "metrics.serviceMonitor.enabled=true"));
        applyCrdsThenRest(client, docs);
        assertTrue(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(ns.name()).withName(release + "-pbtnas").get() != null);
    }

    /**
     * The chart's own certificate: the ValidatingWebhookConfiguration and the Secret with its CA are
     * accepted; the webhook points at the release's Service.
     */
    @Test
    void theWebhookConfigurationIsAcceptedWithTheChartsCertificate(TestNamespace ns) {
        KubernetesClient client = ns.client();
        String release = release();
        applyCrdsThenRest(client, Manifests.parse(helm.template(release, ns.name())));
        ValidatingWebhookConfiguration vwc = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(release + "-pbtnas").get();
        assertEquals(List.of("Fail", "Ignore"), vwc.getWebhooks().stream().map(w -> w.getFailurePolicy()).toList());
        assertEquals(release + "-pbtnas-webhook", vwc.getWebhooks().get(0).getClientConfig().getService().getName());
        Secret tls = client.secrets().inNamespace(ns.name()).withName(release + "-pbtnas-webhook-tls").get();
        assertEquals("kubernetes.io/tls", tls.getType());
        assertEquals(tls.getData().get("ca.crt"), vwc.getWebhooks().get(0).getClientConfig().getCaBundle());
    }

    @Test
    void theCertManagerModeIsAcceptedWhenItsCrdsExist(TestNamespace ns) throws IOException {
        KubernetesClient client = ns.client();
        try (InputStream in = getClass().getResourceAsStream("/cert-manager-crds-minimal.yaml")) {
            for (JsonNode crd : Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                ServerSideApply.installCrd(client, crd);
            }
        }
        String release = release();
        applyCrdsThenRest(client, Manifests.parse(helm.template(release, ns.name(), "--set", "webhook.certManager.enabled=true")));
        assertTrue(client.genericKubernetesResources("cert-manager.io/v1", "Certificate").inNamespace(ns.name())
                .withName(release + "-pbtnas-webhook").get() != null);
        ValidatingWebhookConfiguration vwc = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(release + "-pbtnas").get();
        assertEquals(ns.name() + "/" + release + "-pbtnas-webhook",
                vwc.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from"));
    }

    /**
     * A rendered ValidatingWebhookConfiguration judges every namespace of this JVM's shared API server
     * and its Service has no operator behind it here: remove it, or later tests could create no search.
     */
    @AfterEach
    void removeWebhookConfigurations() {
        try (KubernetesClient client = io.pbtnas.testkit.TestApiServer.shared().newClient()) {
            client.admissionRegistration().v1().validatingWebhookConfigurations()
                    .withLabel("app.kubernetes.io/part-of", "pbtnas").delete();
        }
    }

    /** Proves the apply above can fail: the same Deployment with a wrong type is refused by the server. */
    @Test
    void aBrokenRenderedObjectIsRejected(TestNamespace ns) {
        KubernetesClient client = ns.client();
        JsonNode deployment = Manifests.ofKind(Manifests.parse(helm.template(release(), ns.name())), "Deployment").get(0)
                .deepCopy();
        ObjectNode container = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
        ((ObjectNode) container.path("securityContext")).put("runAsNonRoot", "maybe");
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> ServerSideApply.apply(client, deployment));
        assertTrue(e.getMessage().contains("runAsNonRoot"), e.getMessage());
    }

    private static void applyCrdsThenRest(KubernetesClient client, List<JsonNode> docs) {
        for (JsonNode crd : Manifests.ofKind(docs, "CustomResourceDefinition")) {
            ServerSideApply.installCrd(client, crd);
        }
        assertTrue(client.apiextensions().v1().customResourceDefinitions().withName("pbtnassearches.pbtnas.io").get() != null,
                "helm template --include-crds rendered no PbtNasSearch CRD: " + HelmChartTest.kinds(docs));
        for (JsonNode doc : docs) {
            if (!"CustomResourceDefinition".equals(doc.path("kind").asText())) {
                try {
                    ServerSideApply.apply(client, doc);
                } catch (KubernetesClientException e) {
                    throw new AssertionError("the API server rejected " + Manifests.describe(doc) + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Cluster-scoped objects (ClusterRoles) outlive a test namespace: a fresh release name each time. */
    private static String release() {
        return "r" + UUID.randomUUID().toString().substring(0, 6);
    }
}
