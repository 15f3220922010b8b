package io.pbtnas.testkit.kubelet;

import java.util.List;

/**
 * Turns a container of an allowed image into the local command that stands in for it. The kubelet
 * runs that command with the container's environment, working directory and log file.
 */
@FunctionalInterface
public interface Launcher {

  List<String> command(ContainerLaunch container);
}
