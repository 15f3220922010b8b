package io.pbtnas.testkit.kubelet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps container paths to local paths inside strings (args, env values, working dir), because a
 * local process cannot see the container's mount namespace.
 *
 * <p>Exactly what it does: each container path P (a mountPath, or the termination message path)
 * is replaced by its local path wherever P occurs as a whole path prefix: preceded by the start of
 * the string or by a character that cannot be part of a path (anything except letters, digits,
 * {@code . _ - /}, e.g. {@code =}, {@code :}, a space or a quote), and followed by the end, a
 * {@code /}, or such a character. So with {@code /data → /tmp/x}: {@code /data/m/0},
 * {@code --out=/data} and {@code a:/data} are rewritten; {@code /database} and {@code /srv/data}
 * are not. The longest matching container path wins; replaced text is not scanned again.
 * A mount at {@code /} is never rewritten (it would rewrite every absolute path).
 */
public final class PathRewriter {

  private final List<Map.Entry<String, String>> byLongestFirst;

  public PathRewriter(Map<String, String> containerToLocal) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    containerToLocal.forEach((c, l) -> {
      String normalized = stripTrailingSlash(c);
      if (!normalized.isEmpty()) {
        entries.add(Map.entry(normalized, stripTrailingSlash(l)));
      }
    });
    entries.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    this.byLongestFirst = List.copyOf(entries);
  }

  public String rewrite(String s) {
    if (s == null || byLongestFirst.isEmpty()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      Map.Entry<String, String> match = i == 0 || !isPathChar(s.charAt(i - 1)) ? matchAt(s, i) : null;
      if (match != null) {
        out.append(match.getValue());
        i += match.getKey().length();
      } else {
        out.append(s.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  public List<String> rewrite(List<String> values) {
    return values.stream().map(this::rewrite).toList();
  }

  public Map<String, String> rewriteValues(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, rewrite(v)));
    return out;
  }

  private Map.Entry<String, String> matchAt(String s, int i) {
    for (Map.Entry<String, String> e : byLongestFirst) {
      String p = e.getKey();
      int end = i + p.length();
      if (s.startsWith(p, i) && (end == s.length() || s.charAt(end) == '/' || !isPathChar(s.charAt(end)))) {
        return e;
      }
    }
    return null;
  }

  private static boolean isPathChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '/';
  }

  private static String stripTrailingSlash(String p) {
    String r = p;
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
