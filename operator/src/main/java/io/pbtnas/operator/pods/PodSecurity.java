package io.pbtnas.operator.pods;

import io.pbtnas.operator.config.OperatorConfig;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The `restricted` Pod Security Standard for the pods the operator starts: non-root, no privilege
 * escalation, no capabilities, seccomp RuntimeDefault, read-only root filesystem. A read-only root
 * needs a writable scratch directory: an emptyDir at /tmp.
 */
public final class PodSecurity {
    public static final String TMP_VOLUME = io.pbtnas.core.pod.ReservedNames.TMP_VOLUME;
    public static final String TMP = io.pbtnas.core.pod.ReservedNames.TMP_PATH;
    /** DJL's cache on the writable /tmp, for the operator image's containers (mix, export, cleanup). */
    public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";
    public static final String DJL_CACHE = "/tmp/djl";

    private PodSecurity() {}

    /**
     * Applies the settings to {@code pod}, a pod its caller has just built: changed in place and returned
     * (a builder copy of the whole pod cost more than building it; a generation plans hundreds).
     * Containers named in {@code operatorImageContainers} run the
     * operator image and get DJL_CACHE_DIR=/tmp/djl. Trainer containers do not: the trainer images keep
     * their natives in a read-only cache their own DJL_CACHE_DIR points at (the CUDA image cannot fetch
     * them again offline); a trainer without one can set DJL_CACHE_DIR=/tmp/djl in spec.trainer.env.
     */
    public static Pod apply(Pod pod, OperatorConfig.Settings config, List<String> operatorImageContainers) {
        if (!config.restrictedSecurity()) {
            return pod;
        }
        long id = config.runAsUser();
        PodSpec spec = pod.getSpec();
        spec.setSecurityContext(new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(id).withRunAsGroup(id).withFsGroup(id)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build());
        for (Container c : spec.getInitContainers()) {
            restrict(c, operatorImageContainers.contains(c.getName()));
        }
        for (Container c : spec.getContainers()) {
            restrict(c, operatorImageContainers.contains(c.getName()));
        }
        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
        spec.setVolumes(volumes);
        return pod;
    }

    private static void restrict(Container c, boolean operatorImage) {
        List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
        if (operatorImage && env.stream().noneMatch(e -> DJL_CACHE_DIR.equals(e.getName()))) {
            env.add(new EnvVar(DJL_CACHE_DIR, DJL_CACHE, null));
        }
        c.setSecurityContext(new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build());
        List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts());
        mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP).build());
        c.setVolumeMounts(mounts);
        c.setEnv(env);
    }
}
