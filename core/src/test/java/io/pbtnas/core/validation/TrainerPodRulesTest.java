package io.pbtnas.core.validation;

import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.pod.EnvValueFrom;
import io.pbtnas.core.pod.VolumeMountSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.trainer's pod settings (labels, annotations, volumes, mounts, envValueFrom) through SpecValidator. */
class TrainerPodRulesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final String BASE = """
            population: 4
            generations: 2
            strategy: random
            searchSpace: {genes: [{name: cell0, options: [a, b]}]}
            storage: {persistentVolumeClaim: {claimName: c}}
            trainer:
              image: t:1
              env: {LOG_LEVEL: debug}
            """;

    static List<String> problems(String trainerYaml) throws Exception {
        return SpecValidator.problems(YAML.readValue(BASE + trainerYaml.indent(2), SearchSpec.class));
    }

    @Test
    void aPlatformTeamsSettingsParseAndPass() throws Exception {
        String trainer = """
                labels: {team: vision, example.com/cost-center: "42", empty: ""}
                annotations: {example.com/owner: "ana@example.com"}
                priorityClassName: batch-low
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms: [{matchExpressions: [{key: gpu, operator: In, values: [h100]}]}]
                volumes:
                  - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2Gi}}
                volumeMounts:
                  - {name: dshm, mountPath: /dev/shm}
                envValueFrom:
                  - {name: WANDB_API_KEY, valueFrom: {secretKeyRef: {name: wandb, key: api-key}}}
                  - {name: BUCKET, valueFrom: {configMapKeyRef: {name: data, key: bucket, optional: true}}}
                """;
        assertEquals(List.of(), problems(trainer));
        TrainerSpec t = YAML.readValue(BASE + trainer.indent(2), SearchSpec.class).trainer();
        assertEquals("Memory", ((Map<?, ?>) t.volumes().get(0).get("emptyDir")).get("medium"));
        assertEquals(EnvValueFrom.secret("WANDB_API_KEY", "wandb", "api-key"), t.envValueFrom().get(0));
        assertTrue(t.envValueFrom().get(1).optional());
    }

    /** Each bad setting is refused with its field path and what to do. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'labels: {pbtnas.io/member: "9"}'                         | spec.trainer.labels.pbtnas.io/member: keys under pbtnas.io/
            'labels: {"bad key!": x}'                                  | spec.trainer.labels.bad key!: not a valid label key
            'labels: {team: "has space"}'                              | spec.trainer.labels.team: 'has space' is not a valid label value
            'labels: {team: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}' | not a valid label value
            'annotations: {pbtnas.io/x: y}'                            | spec.trainer.annotations.pbtnas.io/x: keys under pbtnas.io/
            'annotations: {kubectl.kubernetes.io/default-container: x}' | spec.trainer.annotations.kubectl.kubernetes.io/default-container: set by pbtnas
            'priorityClassName: High_Priority'                          | spec.trainer.priorityClassName: 'High_Priority' is not a valid object name
            'affinity: {nodeAfinity: {}}'                               | spec.trainer.affinity.nodeAfinity: unknown field
            'volumes: [{name: checkpoints, emptyDir: {}}]'              | spec.trainer.volumes[0].name: 'checkpoints' is a volume pbtnas adds itself
            'volumes: [{name: tmp, emptyDir: {}}]'                      | spec.trainer.volumes[0].name: 'tmp' is a volume pbtnas adds itself
            'volumes: [{name: Big, emptyDir: {}}]'                      | spec.trainer.volumes[0].name: 'Big' is not valid
            'volumes: [{name: a, emptyDir: {}}, {name: a, emptyDir: {}}]' | spec.trainer.volumes[1].name: 'a' is already the name
            'volumes: [{name: a}]'                                      | spec.trainer.volumes[0]: give exactly one volume source
            'volumes: [{name: a, emptyDir: {}, secret: {secretName: s}}]' | spec.trainer.volumes[0]: give exactly one volume source
            'volumeMounts: [{name: checkpoints, mountPath: /x}]'        | spec.trainer.volumeMounts[0].name: 'checkpoints' is pbtnas's own volume
            'volumeMounts: [{name: nope, mountPath: /x}]'               | spec.trainer.volumeMounts[0].name: no volume 'nope' in spec.trainer.volumes
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: /data}]}'     | spec.trainer.volumeMounts[0].mountPath: /data is /data, where pbtnas mounts
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: /data/x/}]}'  | spec.trainer.volumeMounts[0].mountPath: /data/x/ is below /data
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: //tmp}]}'     | spec.trainer.volumeMounts[0].mountPath: //tmp is /tmp
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: /dev/termination-log}]}' | mountPath: /dev/termination-log is /dev/termination-log
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: /x/../data}]}' | spec.trainer.volumeMounts[0].mountPath: /x/../data contains '..'
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: shm}]}'       | spec.trainer.volumeMounts[0].mountPath: 'shm' is not absolute
            '{volumes: [{name: a, emptyDir: {}}], volumeMounts: [{name: a, mountPath: /s}, {name: a, mountPath: /s}]}' | spec.trainer.volumeMounts[1].mountPath: /s is already the path
            'envValueFrom: [{name: PBTNAS_SEED, valueFrom: {secretKeyRef: {name: s, key: k}}}]'     | spec.trainer.envValueFrom[0].name: PBTNAS_SEED is set by pbtnas
            'envValueFrom: [{name: LOG_LEVEL, valueFrom: {secretKeyRef: {name: s, key: k}}}]'       | spec.trainer.envValueFrom[0].name: LOG_LEVEL is also set in spec.trainer.env
            'envValueFrom: [{name: K, valueFrom: {secretKeyRef: {name: s, key: k}}}, {name: K, valueFrom: {secretKeyRef: {name: s, key: k}}}]' | spec.trainer.envValueFrom[1].name: K is listed twice
            'envValueFrom: [{name: K, valueFrom: {}}]'                  | spec.trainer.envValueFrom[0].valueFrom: give exactly one of secretKeyRef and configMapKeyRef
            'envValueFrom: [{name: K, valueFrom: {secretKeyRef: {name: s, key: k}, configMapKeyRef: {name: s, key: k}}}]' | spec.trainer.envValueFrom[0].valueFrom: give exactly one
            'envValueFrom: [{name: K, valueFrom: {secretKeyRef: {name: S_S, key: k}}}]'             | spec.trainer.envValueFrom[0].valueFrom.secretKeyRef.name: 'S_S' is not a valid object name
            'envValueFrom: [{name: K, valueFrom: {configMapKeyRef: {name: c}}}]'                    | spec.trainer.envValueFrom[0].valueFrom.configMapKeyRef.key: required
            'envValueFrom: [{name: "A=B", valueFrom: {secretKeyRef: {name: s, key: k}}}]'            | spec.trainer.envValueFrom[0].name: 'A=B' is not a variable name
            """)
    void badSettingsAreRefusedNamingTheField(String trainerYaml, String expected) throws Exception {
        List<String> p = problems(trainerYaml.startsWith("{")
                ? trainerYaml.substring(1, trainerYaml.length() - 1).replace("], ", "]\n") : trainerYaml);
        assertTrue(p.stream().anyMatch(s -> s.contains(expected)), "expected '" + expected + "' in " + p);
    }

    @Test
    void annotationsAboveTheApiServersLimitAreRefused() {
        TrainerSpec t = trainer(Map.of("example.com/big", "x".repeat(TrainerPodRules.ANNOTATIONS_MAX_BYTES)));
        assertEquals(List.of("spec.trainer.annotations: " + (TrainerPodRules.ANNOTATIONS_MAX_BYTES + 15)
                + " bytes in all; Kubernetes allows at most " + TrainerPodRules.ANNOTATIONS_MAX_BYTES),
                TrainerPodRules.problems(t, "spec.trainer"));
    }

    @Test
    void theLocalModeNeedsEachNonOptionalValueFromVariableInItsOwnEnvironment() {
        TrainerSpec t = new TrainerSpec("t:1", null, null, null, null, null, null, null, null, null, null, null,
                List.of(EnvValueFrom.secret("WANDB_API_KEY", "wandb", "api-key"),
                        new EnvValueFrom("OPT", new EnvValueFrom.Source(null, new EnvValueFrom.KeyRef("c", "k", true)))),
                null, null, null, null, null, null);
        assertEquals(List.of("spec.trainer.envValueFrom[0]: WANDB_API_KEY comes from Secret 'wandb' key 'api-key' "
                + "on a cluster; the local mode reads no cluster objects: set WANDB_API_KEY in the environment of "
                + "pbtnas run (or mark the reference optional)"),
                TrainerPodRules.localProblems(t, Map.of(), "spec.trainer"));
        assertEquals(List.of(), TrainerPodRules.localProblems(t, Map.of("WANDB_API_KEY", "k"), "spec.trainer"));
    }

    private static TrainerSpec trainer(Map<String, String> annotations) {
        return new TrainerSpec("t:1", null, null, null, null, null, null, null, null, null, null, null,
                null, null, annotations, null, null, null, null);
    }
}
