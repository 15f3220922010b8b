package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Path;

/**
 * Where a pod's volumes and files live on the test machine, under the kubelet's root:
 * <pre>
 *   pvc/&lt;namespace&gt;/&lt;claimName&gt;/                         a PersistentVolumeClaim (shared by every pod using it)
 *   hostPath/&lt;path&gt;/                                     a hostPath volume, re-rooted
 *   pods/&lt;namespace&gt;/&lt;pod&gt;-&lt;uid8&gt;/volumes/&lt;volume&gt;/        emptyDir, configMap, secret
 *   pods/&lt;namespace&gt;/&lt;pod&gt;-&lt;uid8&gt;/containers/&lt;name&gt;/     log, termination-log, work/
 * </pre>
 */
public record PodDirs(Path root) {

  public Path claim(String namespace, String claimName) {
    return root.resolve("pvc").resolve(namespace).resolve(claimName);
  }

  public Path pod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return root.resolve("pods").resolve(pod.getMetadata().getNamespace())
        .resolve(pod.getMetadata().getName() + "-" + (uid == null ? "nouid" : uid.substring(0, Math.min(8, uid.length()))));
  }

  public Path container(Pod pod, String containerName) {
    return pod(pod).resolve("containers").resolve(containerName);
  }

  /** The directory backing {@code volume}; fails naming the volume when its type is not supported. */
  public Path volume(Pod pod, Volume volume) {
    if (volume.getPersistentVolumeClaim() != null) {
      return claim(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName());
    }
    if (volume.getHostPath() != null) {
      return root.resolve("hostPath").resolve(volume.getHostPath().getPath().replaceFirst("^/+", ""));
    }
    if (volume.getEmptyDir() != null || volume.getConfigMap() != null || volume.getSecret() != null) {
      return pod(pod).resolve("volumes").resolve(volume.getName());
    }
    throw new IllegalArgumentException("pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        + " volume '" + volume.getName() + "': this test kubelet supports persistentVolumeClaim, emptyDir, hostPath,"
        + " configMap and secret volumes only");
  }
}
