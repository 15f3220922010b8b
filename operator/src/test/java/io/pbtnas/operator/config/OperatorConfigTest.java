package io.pbtnas.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Helm chart's environment variables reach the operator's settings under the names the chart uses. */
class OperatorConfigTest {
    static final Path DEPLOYMENT = Path.of("..", "helm", "pbtnas", "templates", "deployment.yaml");
    static final Path VALUES = Path.of("..", "helm", "pbtnas", "values.yaml");

    /** trainerPods.runAsUser in the chart's values: the one place the uid is set. */
    static long chartUid() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^trainerPods:\\n(?:  .*\\n|\\s*\\n)*?  runAsUser: (\\d+)")
                .matcher(Files.readString(VALUES));
        assertTrue(m.find(), VALUES + " has no trainerPods.runAsUser");
        return Long.parseLong(m.group(1));
    }

    static OperatorConfig.Settings settings(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(OperatorConfig.class).settings();
    }

    @Test
    void chartEnvironmentVariablesSetTheTrainerPodSecurity() throws Exception {
        String chart = Files.readString(DEPLOYMENT);
        for (String name : new String[] {"PBTNAS_OPERATOR_IMAGE", "PBTNAS_OPERATOR_TRAINER_RESTRICTED_SECURITY",
            "PBTNAS_OPERATOR_TRAINER_RUN_AS_USER"}) {
            assertTrue(chart.contains("- name: " + name), DEPLOYMENT + " no longer sets " + name);
        }
        OperatorConfig.Settings defaults = settings(Map.of());
        assertTrue(defaults.restrictedSecurity(), "restricted by default");
        // Outside the chart (no env) the operator uses the chart's uid, which the images are built with.
        assertEquals(chartUid(), defaults.runAsUser(), "OperatorConfig's default uid differs from " + VALUES);

        OperatorConfig.Settings fromChart = settings(Map.of(
                "PBTNAS_OPERATOR_IMAGE", "my-registry/pbtnas/operator:1",
                "PBTNAS_OPERATOR_TRAINER_RESTRICTED_SECURITY", "false",
                "PBTNAS_OPERATOR_TRAINER_RUN_AS_USER", "4242"));
        assertEquals("my-registry/pbtnas/operator:1", fromChart.image());
        assertFalse(fromChart.restrictedSecurity());
        assertEquals(4242, fromChart.runAsUser());
    }
}
