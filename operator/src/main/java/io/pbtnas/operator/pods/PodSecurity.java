package io.pbtnas.operator.pods;

import io.pbtnas.operator.config.OperatorConfig;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The `restricted` Pod Security Standard for the pods the operator starts: non-root, no privilege
 * escalation, no capabilities, seccomp RuntimeDefault, read-only root filesystem. A read-only root
 * needs a writable scratch directory: an emptyDir at /tmp. Pure: a pod in, a pod out.
 */
public final class PodSecurity {
    public static final String TMP_VOLUME = io.pbtnas.core.pod.ReservedNames.TMP_VOLUME;
    public static final String TMP = io.pbtnas.core.pod.ReservedNames.TMP_PATH;
    /** DJL's cache on the writable /tmp, for the operator image's containers (mix, export, cleanup). */
    public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";
    public static final String DJL_CACHE = "/tmp/djl";

    private PodSecurity() {}

    /**
     * Applies the settings to {@code pod}. Containers named in {@code operatorImageContainers} run the
     * operator image and get DJL_CACHE_DIR=/tmp/djl. Trainer containers do not: the trainer images keep
     * their natives in a read-only cache their own DJL_CACHE_DIR points at (the CUDA image cannot fetch
     * them again offline); a trainer without one can set DJL_CACHE_DIR=/tmp/djl in spec.trainer.env.
     */
    public static Pod apply(Pod pod, OperatorConfig.Settings config, List<String> operatorImageContainers) {
        if (!config.restrictedSecurity()) {
            return pod;
        }
        long id = config.runAsUser();
        PodBuilder b = new PodBuilder(pod);
        b.editSpec()
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true).withRunAsUser(id).withRunAsGroup(id).withFsGroup(id)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .withInitContainers(pod.getSpec().getInitContainers().stream()
                        .map(c -> restrict(c, operatorImageContainers.contains(c.getName()))).toList())
                .withContainers(pod.getSpec().getContainers().stream()
                        .map(c -> restrict(c, operatorImageContainers.contains(c.getName()))).toList())
                .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec();
        return b.build();
    }

    private static Container restrict(Container c, boolean operatorImage) {
        List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
        if (operatorImage && env.stream().noneMatch(e -> DJL_CACHE_DIR.equals(e.getName()))) {
            env.add(new EnvVar(DJL_CACHE_DIR, DJL_CACHE, null));
        }
        return new io.fabric8.kubernetes.api.model.ContainerBuilder(c)
                .withSecurityContext(new SecurityContextBuilder()
                        .withAllowPrivilegeEscalation(false)
                        .withReadOnlyRootFilesystem(true)
                        .withRunAsNonRoot(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities()
                        .build())
                .withVolumeMounts(Stream.concat(c.getVolumeMounts().stream(),
                        Stream.of(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP).build())).toList())
                .withEnv(env)
                .build();
    }
}
