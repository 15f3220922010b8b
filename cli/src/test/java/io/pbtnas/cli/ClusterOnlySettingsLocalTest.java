package io.pbtnas.cli;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same manifest runs locally and on a cluster: what platform teams set on pods is accepted and
 * ignored here, and a variable a cluster reads from a Secret comes from the environment of `pbtnas run`.
 */
class ClusterOnlySettingsLocalTest {
    static final String UNSET = "PBTNAS_TEST_NEVER_SET_4711";

    @TempDir
    Path tmp;

    static String manifest(String envValueFrom) {
        return """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: platform}
                spec:
                  population: 2
                  generations: 1
                  strategy: random
                  searchSpace: {genes: [{name: cell0, options: [conv3x3, skip]}]}
                  trainer:
                    task: fake
                    labels: {team: vision}
                    annotations: {example.com/owner: ana}
                    priorityClassName: batch-low
                    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: gpu, operator: Exists}]}]}}}
                    volumes: [{name: dshm, emptyDir: {medium: Memory}}]
                    volumeMounts: [{name: dshm, mountPath: /dev/shm}]
                    envValueFrom: %s
                """.formatted(envValueFrom);
    }

    Cli.Result run(String yaml) throws Exception {
        Path file = tmp.resolve("m.yaml");
        Files.writeString(file, yaml);
        return Cli.run("run", "-f", file.toString(), "--dir", tmp.resolve("work").toString(), "-q",
                "--trainer-command", Cli.fakeTrainerCommand());
    }

    @Test
    void platformSettingsAreIgnoredAndValueFromVariablesComeFromTheEnvironment() throws Exception {
        // HOME is in every test environment; an optional reference may be missing.
        Cli.Result r = run(manifest("[{name: HOME, valueFrom: {secretKeyRef: {name: s, key: k}}}, "
                + "{name: " + UNSET + ", valueFrom: {configMapKeyRef: {name: c, key: k, optional: true}}}]"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("work/status.json")));
    }

    @Test
    void aMissingValueFromVariableIsABadInputNamingTheField() throws Exception {
        Cli.Result r = run(manifest("[{name: " + UNSET + ", valueFrom: {secretKeyRef: {name: wandb, key: api-key}}}]"));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("spec.trainer.envValueFrom[0]: " + UNSET + " comes from Secret 'wandb' key "
                + "'api-key' on a cluster; the local mode reads no cluster objects: set " + UNSET), r.err());
        assertTrue(Files.notExists(tmp.resolve("work/status.json")), "nothing ran");
    }

    @Test
    void aBadPlatformSettingIsRefusedLocallyAsOnTheCluster() throws Exception {
        Cli.Result r = run(manifest("[]").replace("labels: {team: vision}", "labels: {pbtnas.io/member: \"1\"}"));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("spec.trainer.labels.pbtnas.io/member: keys under pbtnas.io/"), r.err());
    }
}
