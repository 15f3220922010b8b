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
        JsonNode svc = Manifests.ofKind(docs, "Service").get(0);
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals(svc.path("spec").path("ports").get(0).path("name").asText(), endpoint.path("port").asText());
        Map<String, String> selector = strings(sm.path("spec").path("selector").path("matchLabels"));
        Map<String, String> svcLabels = strings(svc.path("metadata").path("labels"));
        assertTrue(svcLabels.entrySet().containsAll(selector.entrySet()), "ServiceMonitor " + selector + " vs Service " + svcLabels);
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
