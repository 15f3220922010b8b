package io.pbtnas.testkit.kubelet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** One-shot faults a test arms for the next matching container start. */
final class Faults {

  enum Kind { FAIL, HANG }

  /**
   * @param container the container name, or null for the pod's first main (non-init) container
   */
  record Fault(Pattern podName, String container, Kind kind, int exitCode) {

    boolean matches(String pod, String containerName, boolean firstMain) {
      boolean containerMatches = container == null ? firstMain : container.equals(containerName);
      return containerMatches && podName.matcher(pod).matches();
    }
  }

  private final List<Fault> armed = new ArrayList<>();

  synchronized void arm(Fault fault) {
    armed.add(fault);
  }

  /** Removes and returns the first armed fault for this container start, if any. */
  synchronized Optional<Fault> take(String pod, String container, boolean firstMain) {
    for (Iterator<Fault> it = armed.iterator(); it.hasNext();) {
      Fault f = it.next();
      if (f.matches(pod, container, firstMain)) {
        it.remove();
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
