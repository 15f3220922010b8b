package io.pbtnas.testkit.kubelet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which images the test kubelet may run, and how: image pattern → {@link Launcher}. A pattern is an
 * exact image reference, or a prefix ending in {@code *} ({@code pbtnas/trainer:*}); the longest
 * matching pattern wins. Any other image is never run.
 */
public final class ImageAllowList {

  private final Map<String, Launcher> launchers;

  public ImageAllowList(Map<String, Launcher> launchers) {
    launchers.keySet().forEach(p -> {
      if (p.isBlank() || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
        throw new IllegalArgumentException("image pattern '" + p
            + "': use an exact image or a prefix ending in a single trailing '*'");
      }
    });
    this.launchers = new LinkedHashMap<>(launchers);
  }

  public Optional<Launcher> launcherFor(String image) {
    Launcher exact = launchers.get(image);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (String p : launchers.keySet()) {
      if (p.endsWith("*") && image.startsWith(p.substring(0, p.length() - 1))
          && (best == null || p.length() > best.length())) {
        best = p;
      }
    }
    return Optional.ofNullable(best).map(launchers::get);
  }

  public String describe() {
    return String.join(", ", launchers.keySet());
  }
}
