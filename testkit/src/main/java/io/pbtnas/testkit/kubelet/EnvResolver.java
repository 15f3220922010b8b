package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment the way the kubelet does: envFrom first, then env in order,
 * {@code $(VAR)} expanded against the variables defined so far; fieldRef, resourceFieldRef,
 * configMapKeyRef and secretKeyRef sources. A missing non-optional reference is an error naming it.
 */
public final class EnvResolver {

  /** Reads ConfigMaps and Secrets (decoded) from the API; empty when absent. */
  public interface Lookup {
    Optional<Map<String, String>> configMap(String namespace, String name);

    Optional<Map<String, String>> secret(String namespace, String name);
  }

  private static final Pattern FIELD_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final Lookup lookup;

  public EnvResolver(Lookup lookup) {
    this.lookup = lookup;
  }

  public Map<String, String> resolve(Pod pod, Container container, String nodeName, String podIp) {
    String ns = pod.getMetadata().getNamespace();
    String where = "pod " + ns + "/" + pod.getMetadata().getName() + " container '" + container.getName() + "'";
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      Optional<Map<String, String>> values;
      boolean optional;
      String what;
      if (from.getConfigMapRef() != null) {
        what = "ConfigMap " + from.getConfigMapRef().getName();
        optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
        values = lookup.configMap(ns, from.getConfigMapRef().getName());
      } else if (from.getSecretRef() != null) {
        what = "Secret " + from.getSecretRef().getName();
        optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
        values = lookup.secret(ns, from.getSecretRef().getName());
      } else {
        continue;
      }
      if (values.isEmpty() && !optional) {
        throw new IllegalArgumentException(where + ": envFrom " + what + " not found; create it or mark it optional");
      }
      values.orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
    }
    for (EnvVar var : nullSafe(container.getEnv())) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
      } else {
        String value = fromSource(pod, container, nodeName, podIp, var.getName(), var.getValueFrom(), where);
        if (value != null) {
          env.put(var.getName(), value);
        }
      }
    }
    return env;
  }

  private String fromSource(Pod pod, Container container, String nodeName, String podIp, String name,
      EnvVarSource src, String where) {
    String ns = pod.getMetadata().getNamespace();
    if (src.getFieldRef() != null) {
      return field(pod, nodeName, podIp, src.getFieldRef().getFieldPath(), where + " env " + name);
    }
    if (src.getResourceFieldRef() != null) {
      return resource(container, src.getResourceFieldRef().getResource(), src.getResourceFieldRef().getDivisor());
    }
    if (src.getConfigMapKeyRef() != null) {
      var ref = src.getConfigMapKeyRef();
      return key(lookup.configMap(ns, ref.getName()), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()),
          where + " env " + name + ": ConfigMap " + ref.getName());
    }
    if (src.getSecretKeyRef() != null) {
      var ref = src.getSecretKeyRef();
      return key(lookup.secret(ns, ref.getName()), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()),
          where + " env " + name + ": Secret " + ref.getName());
    }
    throw new IllegalArgumentException(where + " env " + name + ": this test kubelet supports fieldRef,"
        + " resourceFieldRef, configMapKeyRef and secretKeyRef only");
  }

  private static String key(Optional<Map<String, String>> source, String key, boolean optional, String what) {
    String value = source.map(m -> m.get(key)).orElse(null);
    if (value == null && !optional) {
      throw new IllegalArgumentException(what + (source.isEmpty() ? " not found" : " has no key '" + key + "'")
          + "; create it or mark the reference optional");
    }
    return value;
  }

  static String field(Pod pod, String nodeName, String podIp, String path, String what) {
    var meta = pod.getMetadata();
    switch (path) {
      case "metadata.name": return meta.getName();
      case "metadata.namespace": return meta.getNamespace();
      case "metadata.uid": return meta.getUid();
      case "spec.nodeName": return nodeName;
      case "spec.serviceAccountName": return pod.getSpec().getServiceAccountName();
      case "status.hostIP": case "status.podIP": case "status.hostIPs": case "status.podIPs": return podIp;
      default:
        Matcher m = FIELD_KEY.matcher(path);
        if (m.matches()) {
          Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
          return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        throw new IllegalArgumentException(what + ": unsupported fieldRef '" + path + "'");
    }
  }

  /** limits.x / requests.x divided by the divisor, rounded up, as the kubelet reports it. */
  static String resource(Container c, String resource, Quantity divisor) {
    String[] parts = resource.split("\\.", 2);
    var req = c.getResources();
    Map<String, Quantity> source = req == null ? null : parts[0].equals("limits") ? req.getLimits() : req.getRequests();
    Quantity q = source == null ? null : source.get(parts[1]);
    if (q == null) {
      return "0";
    }
    BigDecimal div = divisor == null ? BigDecimal.ONE : Quantity.getAmountInBytes(divisor);
    return Quantity.getAmountInBytes(q).divide(div, 0, RoundingMode.CEILING).toPlainString();
  }

  /**
   * Kubernetes' $(VAR) expansion: {@code $(NAME)} becomes the value when NAME is defined and stays
   * as written otherwise; {@code $$} is an escaped {@code $}.
   */
  public static String expand(String input, Map<String, String> vars) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c == '$' && i + 1 < input.length()) {
        char next = input.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = input.indexOf(')', i + 2);
          if (close > 0) {
            String name = input.substring(i + 2, close);
            String value = vars.get(name);
            out.append(value != null ? value : input.substring(i, close + 1));
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  public static List<String> expand(List<String> input, Map<String, String> vars) {
    return input == null ? List.of() : input.stream().map(s -> expand(s, vars)).toList();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
