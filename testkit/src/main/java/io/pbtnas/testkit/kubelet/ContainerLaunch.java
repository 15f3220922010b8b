package io.pbtnas.testkit.kubelet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container ready to run locally: $(VAR) references expanded and container paths already
 * rewritten to local ones ({@link PathRewriter}). {@code env} holds only the pod's variables; the
 * process also inherits the test JVM's environment underneath them.
 */
public record ContainerLaunch(String namespace, String podName, String podUid, String containerName,
    boolean initContainer, String image, List<String> command, List<String> args, Map<String, String> env,
    Path workingDir, List<LocalMount> mounts, Path terminationMessageFile) {

  public ContainerLaunch {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    mounts = List.copyOf(mounts);
  }
}
