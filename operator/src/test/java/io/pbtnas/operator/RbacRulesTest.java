package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart grants exactly what the code says it needs: helm/pbtnas/files/operator-rules.yaml
 * (which the chart's Roles and ClusterRole include; deploy-tests' HelmChartTest checks that) is the
 * rendering of the @RBACRule annotations on {@link SearchReconciler}. A rule added there or removed
 * there fails this test until the file is copied from what the test writes.
 */
class RbacRulesTest {
    static final Path COMMITTED = Path.of("..", "helm", "pbtnas", "files", "operator-rules.yaml");
    static final Path GENERATED = Path.of("target", "operator-rules.yaml");
    static final String SYNC = "cp operator/target/operator-rules.yaml helm/pbtnas/files/operator-rules.yaml";
    /** The leader-election Lease lives in the operator's own namespace; every other rule in each watched one. */
    static final String LEASES = "leases";

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The chart's rules file as the annotations define it. */
    static String render() {
        RBACRule[] rules = SearchReconciler.class.getAnnotationsByType(RBACRule.class);
        List<String> watched = new ArrayList<>();
        List<String> release = new ArrayList<>();
        for (RBACRule r : rules) {
            boolean lease = Arrays.asList(r.resources()).contains(LEASES);
            if (lease && r.resources().length != 1) {
                throw new AssertionError("keep leases in a rule of their own (they are granted in another namespace): "
                        + Arrays.toString(r.resources()));
            }
            (lease ? release : watched).add(rule(r));
        }
        return """
                # The API access the pbtnas operator needs. GENERATED from the @RBACRule annotations on
                # operator/src/main/java/io/pbtnas/operator/SearchReconciler.java, the one source: do not edit.
                # To change a rule, change the annotation, run the operator's tests (RbacRulesTest writes this
                # file to operator/target/) and copy it:
                #   %s
                # watchedNamespaces: granted in every namespace the operator watches (one ClusterRole, or a Role in
                #   each namespace of watchNamespaces). releaseNamespace: only in the release's own namespace.
                watchedNamespaces:
                %sreleaseNamespace:
                %s""".formatted(SYNC, String.join("", watched), String.join("", release));
    }

    private static String rule(RBACRule r) {
        StringBuilder b = new StringBuilder();
        b.append("  - apiGroups: ").append(list(r.apiGroups())).append('\n');
        b.append("    resources: ").append(list(r.resources())).append('\n');
        if (r.resourceNames().length > 0) {
            b.append("    resourceNames: ").append(list(r.resourceNames())).append('\n');
        }
        b.append("    verbs: ").append(list(r.verbs())).append('\n');
        return b.toString();
    }

    private static String list(String[] values) {
        return Arrays.stream(values).map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    @Test
    void theChartsRulesAreTheAnnotationsRules() throws Exception {
        String expected = render();
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, expected);
        assertTrue(Files.isRegularFile(COMMITTED), "no " + COMMITTED.toAbsolutePath() + "; create it: " + SYNC);
        JsonNode want = YAML.readTree(expected);
        JsonNode have = YAML.readTree(COMMITTED.toFile());
        assertEquals(want, have, "helm/pbtnas/files/operator-rules.yaml does not grant what the @RBACRule annotations "
                + "on SearchReconciler declare; copy the generated file: " + SYNC + "\nwanted:\n" + expected);
    }

    @Test
    void nothingIsGrantedClusterWideOrOnEverything() {
        for (RBACRule r : SearchReconciler.class.getAnnotationsByType(RBACRule.class)) {
            String rule = Arrays.toString(r.resources()) + " " + Arrays.toString(r.verbs());
            assertFalse(Arrays.asList(r.verbs()).contains(RBACRule.ALL), "no '*' verbs: " + rule);
            assertFalse(Arrays.asList(r.resources()).contains(RBACRule.ALL), "no '*' resources: " + rule);
            assertFalse(Arrays.asList(r.resources()).contains("secrets"),
                    "the kubelet reads trainer.envValueFrom's Secrets, the operator never does: " + rule);
            assertEquals(0, r.nonResourceURLs().length, rule);
        }
    }
}
