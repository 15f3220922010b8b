package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a container spec into a {@link ContainerLaunch}: environment resolved, $(VAR) expanded,
 * each mount mapped to its local directory (volume directory + subPath), and every container path
 * in command, args, env values and workingDir rewritten by {@link PathRewriter}.
 */
final class ContainerPreparer {

  /** The trainer contract's variable for the termination message file; set when the pod does not set it. */
  static final String TERMINATION_LOG_ENV = "PBTNAS_TERMINATION_LOG";
  static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";

  private final PodDirs dirs;
  private final EnvResolver envResolver;
  private final String nodeName;

  ContainerPreparer(PodDirs dirs, EnvResolver envResolver, String nodeName) {
    this.dirs = dirs;
    this.envResolver = envResolver;
    this.nodeName = nodeName;
  }

  ContainerLaunch prepare(Pod pod, Container c, boolean init, Map<String, Path> volumes) throws IOException {
    String where = "pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        + " container '" + c.getName() + "'";
    Path containerDir = Files.createDirectories(dirs.container(pod, c.getName()));
    Path terminationFile = containerDir.resolve("termination-log");
    Files.deleteIfExists(terminationFile);
    Files.createFile(terminationFile);

    Map<String, String> rawEnv = envResolver.resolve(pod, c, nodeName, PodStatuses.LOCAL_IP);

    List<LocalMount> mounts = new ArrayList<>();
    Map<String, String> containerToLocal = new LinkedHashMap<>();
    for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
      Path volumeDir = volumes.get(m.getName());
      if (volumeDir == null) {
        throw new IllegalArgumentException(where + " volumeMount '" + m.getName() + "': no such volume in the pod");
      }
      String sub = m.getSubPathExpr() != null ? EnvResolver.expand(m.getSubPathExpr(), rawEnv) : m.getSubPath();
      Path local = sub == null || sub.isEmpty() ? volumeDir : volumeDir.resolve(sub).normalize();
      if (!local.startsWith(volumeDir)) {
        throw new IllegalArgumentException(where + " volumeMount '" + m.getName() + "': subPath '" + sub
            + "' leaves the volume");
      }
      Files.createDirectories(local);
      mounts.add(new LocalMount(m.getName(), m.getMountPath(), local, Boolean.TRUE.equals(m.getReadOnly())));
      containerToLocal.put(m.getMountPath(), local.toString());
    }
    String terminationPath = c.getTerminationMessagePath() == null ? DEFAULT_TERMINATION_PATH
        : c.getTerminationMessagePath();
    containerToLocal.put(terminationPath, terminationFile.toString());
    PathRewriter rewriter = new PathRewriter(containerToLocal);

    List<String> command = rewriter.rewrite(EnvResolver.expand(c.getCommand(), rawEnv));
    List<String> args = rewriter.rewrite(EnvResolver.expand(c.getArgs(), rawEnv));
    Map<String, String> env = rewriter.rewriteValues(rawEnv);
    env.putIfAbsent(TERMINATION_LOG_ENV, terminationFile.toString());

    Path workingDir = containerDir.resolve("work");
    if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) {
      String rewritten = rewriter.rewrite(c.getWorkingDir());
      // a workingDir outside every mount lives in the container's own filesystem: give it one
      workingDir = rewritten.equals(c.getWorkingDir()) ? workingDir.resolve(c.getWorkingDir().replaceFirst("^/+", ""))
          : Path.of(rewritten);
    }
    Files.createDirectories(workingDir);

    return new ContainerLaunch(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
        c.getName(), init, c.getImage(), command, args, env, workingDir, mounts, terminationFile);
  }
}
