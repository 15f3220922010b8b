package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chart through the real helm binary: lint, render, and the values schema. */
class HelmChartTest {
    static final String NS = "pbtnas-system";
    static Helm helm;

    @BeforeAll
    static void locateHelm() {
        helm = Helm.locate();
    }

    @Test
    void lintStrictPassesWithDefaultAndNamespacedValues() {
        for (String[] extra : List.of(new String[0], new String[] {"--set-json", "watchNamespaces=[\"team-a\",\"team-b\"]"})) {
            String[] args = concat(new String[] {"lint", "--strict", RepoPaths.chart().toString()}, extra);
            Processes.Result r = helm.run(args);
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stdout().contains("0 chart(s) failed"), r.describe());
        }
    }

    @Test
    void defaultInstallWatchesAllNamespacesWithClusterRbac() {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS));
        JsonNode role = Manifests.find(docs, "ClusterRole", "pbtnas").orElseThrow(
                () -> new AssertionError("no ClusterRole for the operator in " + kinds(docs)));
        assertTrue(grants(role, "", "pods", "create"), "the operator creates trainer pods: " + role);
        assertTrue(grants(role, "pbtnas.io", "pbtnassearches/status", "patch"), role.toString());
        assertTrue(Manifests.find(docs, "ClusterRoleBinding", "pbtnas").isPresent(), kinds(docs));
        assertTrue(Manifests.ofKind(docs, "Role").stream().noneMatch(r -> grants(r, "", "pods", "create")),
                "cluster-wide mode needs no per-namespace pod Roles");
        assertEquals("JOSDK_ALL_NAMESPACES", env(operatorContainer(docs), "QUARKUS_OPERATOR_SDK_NAMESPACES"));
        JsonNode lease = Manifests.find(docs, "Role", "leader-election").orElseThrow();
        assertEquals(NS, lease.path("metadata").path("namespace").asText());
        assertTrue(grants(lease, "coordination.k8s.io", "leases", "update"), lease.toString());
    }

    @Test
    void namespacedInstallGetsRolesOnlyInTheListedNamespaces() {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS,
                "--set-json", "watchNamespaces=[\"team-a\",\"team-b\"]"));
        List<JsonNode> podRoles = Manifests.ofKind(docs, "Role").stream()
                .filter(r -> grants(r, "", "pods", "create")).toList();
        assertEquals(List.of("team-a", "team-b"),
                podRoles.stream().map(r -> r.path("metadata").path("namespace").asText()).sorted().toList());
        assertEquals(2, Manifests.ofKind(docs, "RoleBinding").stream()
                .filter(b -> b.path("roleRef").path("name").asText().equals("pbtnas")).count());
        // Nothing cluster-wide at all: the operator reads no CRD and no other namespace.
        assertEquals(List.of(), Manifests.ofKind(docs, "ClusterRole").stream().map(Manifests::describe).toList());
        assertEquals(List.of(), Manifests.ofKind(docs, "ClusterRoleBinding").stream().map(Manifests::describe).toList());
        assertEquals("team-a,team-b", env(operatorContainer(docs), "QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    /**
     * The chart grants exactly files/operator-rules.yaml (generated from the operator's @RBACRule
     * annotations; the operator's RbacRulesTest keeps the two equal), in both modes, and nothing else.
     */
    @Test
    void theChartGrantsExactlyTheOperatorsRulesFile() throws Exception {
        JsonNode file = Manifests.YAML.readTree(RepoPaths.chart().resolve("files/operator-rules.yaml").toFile());
        JsonNode watched = file.path("watchedNamespaces");
        JsonNode release = file.path("releaseNamespace");
        assertTrue(watched.size() > 0 && release.size() > 0, file.toString());

        List<JsonNode> cluster = Manifests.parse(helm.template("pbtnas", NS));
        assertEquals(List.of("ClusterRole/pbtnas", "Role/pbtnas-leader-election"), roles(cluster));
        assertEquals(watched, Manifests.find(cluster, "ClusterRole", "pbtnas").orElseThrow().path("rules"));
        assertEquals(release, Manifests.find(cluster, "Role", "leader-election").orElseThrow().path("rules"));

        List<JsonNode> namespaced = Manifests.parse(helm.template("pbtnas", NS,
                "--set-json", "watchNamespaces=[\"team-a\",\"team-b\"]"));
        assertEquals(List.of("Role/pbtnas", "Role/pbtnas", "Role/pbtnas-leader-election"), roles(namespaced));
        for (JsonNode role : Manifests.ofKind(namespaced, "Role")) {
            boolean lease = role.path("metadata").path("name").asText().endsWith("leader-election");
            assertEquals(lease ? release : watched, role.path("rules"), Manifests.describe(role));
        }
        // What the operator no longer reads: pod logs, claims, the CRD (no start-up CRD check).
        for (JsonNode role : Manifests.ofKind(cluster, "ClusterRole")) {
            for (String[] unused : new String[][] {{"", "pods/log", "get"}, {"", "persistentvolumeclaims", "get"},
                    {"apiextensions.k8s.io", "customresourcedefinitions", "get"}, {"", "secrets", "get"}}) {
                assertFalse(grants(role, unused[0], unused[1], unused[2]), String.join(" ", unused) + " in " + role);
            }
        }
    }

    private static List<String> roles(List<JsonNode> docs) {
        return docs.stream().filter(d -> d.path("kind").asText().endsWith("Role"))
                .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).sorted().toList();
    }

    @Test
    void operatorPodIsRestrictedAndProbed() {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS));
        JsonNode podSpec = Manifests.ofKind(docs, "Deployment").get(0).path("spec").path("template").path("spec");
        assertTrue(podSpec.path("securityContext").path("runAsNonRoot").asBoolean(), podSpec.toString());
        assertEquals("RuntimeDefault", podSpec.path("securityContext").path("seccompProfile").path("type").asText());
        JsonNode c = operatorContainer(docs);
        JsonNode sc = c.path("securityContext");
        assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), sc.toString());
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), sc.toString());
        assertEquals("ALL", sc.path("capabilities").path("drop").get(0).asText(), sc.toString());
        assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertTrue(c.path("resources").path("limits").has("memory"), "a memory limit keeps the JVM honest");
        // The read-only root filesystem needs a writable /tmp.
        assertTrue(StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                .anyMatch(m -> m.path("mountPath").asText().equals("/tmp")), c.toString());
        assertEquals("true", env(c, "PBTNAS_OPERATOR_TRAINER_RESTRICTED_SECURITY"));
        assertEquals("pbtnas/operator:0.1.0", env(c, "PBTNAS_OPERATOR_IMAGE"));
        assertEquals(c.path("image").asText(), env(c, "PBTNAS_OPERATOR_IMAGE"),
                "the init containers must run `pbtnas mix` from the operator's own image");

        JsonNode relaxed = operatorContainer(Manifests.parse(helm.template("pbtnas", NS,
                "--set", "trainerPods.restrictedSecurity=false", "--set", "image.tag=dev")));
        assertEquals("false", env(relaxed, "PBTNAS_OPERATOR_TRAINER_RESTRICTED_SECURITY"));
        assertEquals("pbtnas/operator:dev", env(relaxed, "PBTNAS_OPERATOR_IMAGE"));
    }

    @Test
    void operatorPodRunsAsTheOneUidTrainerPodsAndImagesUse() {
        JsonNode psc = Manifests.ofKind(Manifests.parse(helm.template("pbtnas", NS)), "Deployment").get(0)
                .path("spec").path("template").path("spec").path("securityContext");
        assertEquals(1001, psc.path("runAsUser").asInt(), psc.toString());
        assertEquals(1001, psc.path("runAsGroup").asInt(), psc.toString());

        List<JsonNode> other = Manifests.parse(helm.template("pbtnas", NS, "--set", "trainerPods.runAsUser=4242"));
        JsonNode otherPsc = Manifests.ofKind(other, "Deployment").get(0)
                .path("spec").path("template").path("spec").path("securityContext");
        assertEquals(4242, otherPsc.path("runAsUser").asInt(), otherPsc.toString());
        assertEquals(4242, otherPsc.path("runAsGroup").asInt(), otherPsc.toString());
        assertTrue(otherPsc.path("runAsNonRoot").asBoolean(), otherPsc.toString());
        assertEquals("4242", env(operatorContainer(other), "PBTNAS_OPERATOR_TRAINER_RUN_AS_USER"));

        // An explicit podSecurityContext still wins for the operator pod alone.
        JsonNode own = Manifests.ofKind(Manifests.parse(helm.template("pbtnas", NS,
                "--set", "podSecurityContext.runAsUser=5000")), "Deployment").get(0)
                .path("spec").path("template").path("spec").path("securityContext");
        assertEquals(5000, own.path("runAsUser").asInt(), own.toString());
        assertEquals(1001, own.path("runAsGroup").asInt(), own.toString());
    }

    @Test
    void serviceMonitorOnlyWhenAskedAndItScrapesTheMetricsService() {
        assertTrue(Manifests.ofKind(Manifests.parse(helm.template("pbtnas", NS)), "ServiceMonitor").isEmpty());
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS, "--set", "metrics.serviceMonitor.enabled=true"));
        JsonNode sm = Manifests.ofKind(docs, "ServiceMonitor").get(0);
        JsonNode svc = Manifests.find(docs, "Service", "metrics").orElseThrow();
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals(svc.path("spec").path("ports").get(0).path("name").asText(), endpoint.path("port").asText());
        Map<String, String> selector = strings(sm.path("spec").path("selector").path("matchLabels"));
        Map<String, String> svcLabels = strings(svc.path("metadata").path("labels"));
        assertTrue(svcLabels.entrySet().containsAll(selector.entrySet()), "ServiceMonitor " + selector + " vs Service " + svcLabels);
    }

    @Test
    void theWebhookIsOnByDefaultWithTheChartsCertificate() throws Exception {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS));
        JsonNode vwc = Manifests.find(docs, "ValidatingWebhookConfiguration", "pbtnas").orElseThrow(
                () -> new AssertionError("no ValidatingWebhookConfiguration in " + kinds(docs)));
        JsonNode hooks = vwc.path("webhooks");
        assertEquals(2, hooks.size(), hooks.toString());
        Map<String, String> policyByOperation = new java.util.TreeMap<>();
        for (JsonNode hook : hooks) {
            assertEquals("None", hook.path("sideEffects").asText(), "a dry run reaches only side-effect-free webhooks");
            assertEquals("[\"v1\"]", hook.path("admissionReviewVersions").toString());
            assertEquals("Equivalent", hook.path("matchPolicy").asText());
            assertEquals(10, hook.path("timeoutSeconds").asInt());
            assertTrue(hook.path("namespaceSelector").isMissingNode(), "cluster-wide: every namespace");
            JsonNode rule = hook.path("rules").get(0);
            assertEquals("[\"pbtnassearches\"]", rule.path("resources").toString(), "not the status subresource");
            assertEquals(1, rule.path("operations").size(), rule.toString());
            policyByOperation.put(rule.path("operations").get(0).asText(), hook.path("failurePolicy").asText());
            JsonNode service = hook.path("clientConfig").path("service");
            assertEquals("pbtnas-webhook", service.path("name").asText());
            assertEquals(NS, service.path("namespace").asText());
            assertEquals("/admission/validate-pbtnassearch", service.path("path").asText());
            assertEquals(443, service.path("port").asInt());
        }
        assertEquals(Map.of("CREATE", "Fail", "UPDATE", "Ignore"), policyByOperation);

        // The Service reaches the operator's HTTPS port.
        JsonNode svc = Manifests.find(docs, "Service", "webhook").orElseThrow();
        assertEquals("webhook", svc.path("spec").path("ports").get(0).path("targetPort").asText());
        JsonNode c = operatorContainer(docs);
        assertTrue(StreamSupport.stream(c.path("ports").spliterator(), false).anyMatch(
                p -> p.path("name").asText().equals("webhook") && p.path("containerPort").asInt() == 8443), c.toString());
        assertEquals("/etc/pbtnas/webhook-tls/tls.crt", env(c, "QUARKUS_HTTP_SSL_CERTIFICATE_FILES"));
        assertEquals("/etc/pbtnas/webhook-tls/tls.key", env(c, "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES"));
        assertEquals("pbtnas-webhook-tls", webhookSecretOfThePod(docs));

        // The certificate in the Secret is signed by the caBundle the API server trusts, for the Service's name.
        JsonNode secret = Manifests.find(docs, "Secret", "webhook-tls").orElseThrow();
        assertEquals("pbtnas-webhook-tls", secret.path("metadata").path("name").asText());
        String caBundle = hooks.get(0).path("clientConfig").path("caBundle").asText();
        assertEquals(secret.path("data").path("ca.crt").asText(), caBundle);
        assertEquals(caBundle, hooks.get(1).path("clientConfig").path("caBundle").asText());
        java.security.cert.X509Certificate ca = x509(caBundle);
        java.security.cert.X509Certificate serving = x509(secret.path("data").path("tls.crt").asText());
        serving.verify(ca.getPublicKey());
        assertTrue(serving.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("pbtnas-webhook." + NS + ".svc")),
                String.valueOf(serving.getSubjectAlternativeNames()));
        assertTrue(new String(java.util.Base64.getDecoder().decode(secret.path("data").path("tls.key").asText()))
                .contains("PRIVATE KEY"));
    }

    @Test
    void aNamespacedInstallJudgesOnlyItsWatchedNamespaces() {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS,
                "--set-json", "watchNamespaces=[\"team-a\",\"team-b\"]"));
        JsonNode vwc = Manifests.find(docs, "ValidatingWebhookConfiguration", "pbtnas").orElseThrow();
        for (JsonNode hook : vwc.path("webhooks")) {
            JsonNode expression = hook.path("namespaceSelector").path("matchExpressions").get(0);
            assertEquals("kubernetes.io/metadata.name", expression.path("key").asText(), hook.toString());
            assertEquals("In", expression.path("operator").asText());
            assertEquals("[\"team-a\",\"team-b\"]", expression.path("values").toString());
        }
    }

    @Test
    void theWebhookCanBeTurnedOffAndItsUpdatePolicyChosen() {
        List<JsonNode> off = Manifests.parse(helm.template("pbtnas", NS, "--set", "webhook.enabled=false"));
        assertEquals(List.of(), Manifests.ofKind(off, "ValidatingWebhookConfiguration"));
        assertEquals(List.of(), Manifests.ofKind(off, "Secret"));
        assertTrue(Manifests.find(off, "Service", "webhook").isEmpty(), kinds(off));
        JsonNode c = operatorContainer(off);
        assertTrue(StreamSupport.stream(c.path("env").spliterator(), false)
                .noneMatch(e -> e.path("name").asText().startsWith("QUARKUS_HTTP_SSL")), "no HTTPS port without the webhook");
        assertTrue(StreamSupport.stream(c.path("ports").spliterator(), false)
                .noneMatch(p -> p.path("name").asText().equals("webhook")), c.toString());

        List<JsonNode> strict = Manifests.parse(helm.template("pbtnas", NS, "--set", "webhook.updateFailurePolicy=Fail",
                "--set", "webhook.timeoutSeconds=5"));
        for (JsonNode hook : Manifests.ofKind(strict, "ValidatingWebhookConfiguration").get(0).path("webhooks")) {
            assertEquals("Fail", hook.path("failurePolicy").asText(), hook.toString());
            assertEquals(5, hook.path("timeoutSeconds").asInt());
        }
    }

    @Test
    void withCertManagerTheChartMakesNoCertificateOfItsOwn() {
        List<JsonNode> docs = Manifests.parse(helm.template("pbtnas", NS, "--set", "webhook.certManager.enabled=true"));
        assertEquals(List.of(), Manifests.ofKind(docs, "Secret"), "cert-manager writes the Secret");
        JsonNode issuer = Manifests.find(docs, "Issuer", "webhook").orElseThrow(() -> new AssertionError(kinds(docs)));
        assertTrue(issuer.path("spec").has("selfSigned"), issuer.toString());
        JsonNode cert = Manifests.find(docs, "Certificate", "webhook").orElseThrow();
        assertEquals("pbtnas-webhook-tls", cert.path("spec").path("secretName").asText());
        assertEquals(webhookSecretOfThePod(docs), cert.path("spec").path("secretName").asText());
        assertEquals(issuer.path("metadata").path("name").asText(), cert.path("spec").path("issuerRef").path("name").asText());
        assertTrue(cert.path("spec").path("dnsNames").toString().contains("\"pbtnas-webhook." + NS + ".svc\""),
                cert.toString());
        JsonNode vwc = Manifests.ofKind(docs, "ValidatingWebhookConfiguration").get(0);
        assertEquals(NS + "/" + cert.path("metadata").path("name").asText(),
                vwc.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText());
        for (JsonNode hook : vwc.path("webhooks")) {
            assertFalse(hook.path("clientConfig").has("caBundle"), "cert-manager's CA injector fills it: " + hook);
        }

        List<JsonNode> ownIssuer = Manifests.parse(helm.template("pbtnas", NS, "--set", "webhook.certManager.enabled=true",
                "--set-json", "webhook.certManager.issuerRef={\"name\":\"corp-ca\",\"kind\":\"ClusterIssuer\"}"));
        assertEquals(List.of(), Manifests.ofKind(ownIssuer, "Issuer"));
        JsonNode ref = Manifests.ofKind(ownIssuer, "Certificate").get(0).path("spec").path("issuerRef");
        assertEquals("corp-ca", ref.path("name").asText());
        assertEquals("ClusterIssuer", ref.path("kind").asText());
    }

    private static String webhookSecretOfThePod(List<JsonNode> docs) {
        JsonNode podSpec = Manifests.ofKind(docs, "Deployment").get(0).path("spec").path("template").path("spec");
        String mounted = StreamSupport.stream(operatorContainer(docs).path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("mountPath").asText().equals("/etc/pbtnas/webhook-tls"))
                .map(m -> m.path("name").asText()).findFirst().orElseThrow(() -> new AssertionError("no webhook-tls mount"));
        return StreamSupport.stream(podSpec.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(mounted))
                .map(v -> v.path("secret").path("secretName").asText()).findFirst().orElseThrow();
    }

    private static java.security.cert.X509Certificate x509(String base64Pem) throws Exception {
        return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64Pem)));
    }

    /** Each bad value must fail `helm template` with a message naming the field; a good one must pass. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "--set,        replicaCount=-1,               /replicaCount",
        "--set-string, replicaCount=two,              /replicaCount",
        "--set,        image.pullPolicy=Sometimes,    /image/pullPolicy",
        "--set,        replicas=2,                    replicas",
        "--set-json,   'watchNamespaces=[\"Team_A\"]', /watchNamespaces/0",
        "--set,        resources.limits.memory=lots,  /resources/limits/memory",
        "--set,        metrics.serviceMonitor.interval=often, /metrics/serviceMonitor/interval",
        "--set,        webhook.updateFailurePolicy=Sometimes, /webhook/updateFailurePolicy",
        "--set,        webhook.timeoutSeconds=60,     /webhook/timeoutSeconds",
    })
    void valuesSchemaRejectsBadValues(String flag, String assignment, String expectedInMessage) {
        Processes.Result r = helm.run("template", "pbtnas", RepoPaths.chart().toString(), flag, assignment);
        assertNotEquals(0, r.exitCode(), "helm accepted " + assignment + ": " + r.describe());
        assertTrue(r.stderr().contains(expectedInMessage), "message should name " + expectedInMessage + ": " + r.describe());
    }

    @Test
    void valuesSchemaAcceptsGoodOverrides() {
        Processes.Result r = helm.run("template", "pbtnas", RepoPaths.chart().toString(),
                "--set", "replicaCount=2", "--set", "resources.limits.memory=1Gi", "--set", "image.pullPolicy=Never",
                "--set-json", "watchNamespaces=[\"team-a\"]");
        assertEquals(0, r.exitCode(), r.describe());
    }

    static JsonNode operatorContainer(List<JsonNode> docs) {
        List<JsonNode> deployments = Manifests.ofKind(docs, "Deployment");
        assertEquals(1, deployments.size(), kinds(docs));
        return deployments.get(0).path("spec").path("template").path("spec").path("containers").get(0);
    }

    static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("env"));
    }

    static boolean grants(JsonNode role, String group, String resource, String verb) {
        for (JsonNode rule : role.path("rules")) {
            if (contains(rule.path("apiGroups"), group) && contains(rule.path("resources"), resource)
                    && contains(rule.path("verbs"), verb)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        return StreamSupport.stream(array.spliterator(), false).anyMatch(n -> n.asText().equals(value));
    }

    private static Map<String, String> strings(JsonNode object) {
        return object.properties().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()));
    }

    static String kinds(List<JsonNode> docs) {
        return docs.stream().map(Manifests::describe).toList().toString();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
