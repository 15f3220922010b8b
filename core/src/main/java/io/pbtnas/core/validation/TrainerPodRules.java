package io.pbtnas.core.validation;

import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.pod.EnvValueFrom;
import io.pbtnas.core.pod.VolumeMountSpec;
import static io.pbtnas.core.pod.ReservedNames.DEFAULT_CONTAINER_ANNOTATION;
import static io.pbtnas.core.pod.ReservedNames.OWN_PATHS;
import static io.pbtnas.core.pod.ReservedNames.OWN_PREFIX;
import static io.pbtnas.core.pod.ReservedNames.OWN_VOLUMES;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a search may add to the pods pbtnas builds (spec.trainer labels, annotations, priorityClassName,
 * affinity, volumes, volumeMounts, envValueFrom): none may touch the names and paths that stay pbtnas's
 * own ({@link io.pbtnas.core.pod.ReservedNames}). Pure.
 */
public final class TrainerPodRules {
    /** The API server's limit on all annotations of an object together. */
    static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;
    static final Set<String> AFFINITY_KINDS = Set.of("nodeAffinity", "podAffinity", "podAntiAffinity");

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_LABEL.pattern() + "(\\." + DNS_LABEL.pattern() + ")*");

    private TrainerPodRules() {
    }

    /** Problems of these settings of {@code trainer}; {@code field} is its path, e.g. spec.trainer. */
    public static List<String> problems(TrainerSpec trainer, String field) {
        List<String> out = new ArrayList<>();
        labels(trainer.labels(), field + ".labels", out);
        annotations(trainer.annotations(), field + ".annotations", out);
        if (trainer.priorityClassName() != null && !isSubdomain(trainer.priorityClassName())) {
            out.add(field + ".priorityClassName: '" + trainer.priorityClassName() + "' is not a valid object name; "
                    + "use lower-case letters, digits, '-' and '.', at most 253 characters");
        }
        if (trainer.affinity() != null) {
            for (String kind : trainer.affinity().keySet()) {
                if (!AFFINITY_KINDS.contains(kind)) {
                    out.add(field + ".affinity." + kind + ": unknown field (known: nodeAffinity, podAffinity, "
                            + "podAntiAffinity)");
                }
            }
        }
        Set<String> volumes = volumes(trainer.volumes(), field + ".volumes", out);
        volumeMounts(trainer.volumeMounts(), volumes, field + ".volumeMounts", out);
        envValueFrom(trainer, field + ".envValueFrom", out);
        return out;
    }

    private static void labels(Map<String, String> labels, String field, List<String> out) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (ownKey(key, field, "label", out)) {
                return;
            }
            if (value == null || value.length() > 63 || !(value.isEmpty() || NAME.matcher(value).matches())) {
                out.add(field + "." + key + ": " + (value == null ? "nothing" : "'" + value + "'") + " is not a valid "
                        + "label value; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a "
                        + "letter or digit (or quote an empty string)");
            }
        });
    }

    private static void annotations(Map<String, String> annotations, String field, List<String> out) {
        if (annotations == null) {
            return;
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String key = e.getKey();
            if (DEFAULT_CONTAINER_ANNOTATION.equals(key)) {
                out.add(field + "." + key + ": set by pbtnas on member pods (kubectl logs shows the trainer); "
                        + "remove it");
                continue;
            }
            ownKey(key, field, "annotation", out);
            if (e.getValue() == null) {
                out.add(field + "." + key + ": needs a value (a string; quote an empty one)");
            } else {
                bytes += key.getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (bytes > ANNOTATIONS_MAX_BYTES) {
            out.add(field + ": " + bytes + " bytes in all; Kubernetes allows at most " + ANNOTATIONS_MAX_BYTES);
        }
    }

    /** True when {@code key} was refused (pbtnas's own, or not a valid key). */
    private static boolean ownKey(String key, String field, String what, List<String> out) {
        if (key.startsWith(OWN_PREFIX)) {
            out.add(field + "." + key + ": keys under " + OWN_PREFIX + " are pbtnas's own (they tie a pod to its "
                    + "search, member and attempt); use another prefix, e.g. example.com/" + key.substring(OWN_PREFIX.length()));
            return true;
        }
        if (!isQualifiedName(key)) {
            out.add(field + "." + key + ": not a valid " + what + " key; use an optional DNS prefix and '/', then "
                    + "at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, "
                    + "e.g. team or example.com/team");
            return true;
        }
        return false;
    }

    private static Set<String> volumes(List<Map<String, Object>> volumes, String field, List<String> out) {
        Set<String> names = new HashSet<>();
        if (volumes == null) {
            return names;
        }
        for (int i = 0; i < volumes.size(); i++) {
            String at = field + "[" + i + "]";
            Map<String, Object> v = volumes.get(i);
            Object name = v == null ? null : v.get("name");
            if (!(name instanceof String n) || n.length() > 63 || !DNS_LABEL.matcher(n).matches()) {
                out.add(at + ".name: " + (name == null ? "required" : "'" + name + "' is not valid") + "; a volume "
                        + "name is at most 63 lower-case letters, digits and '-', e.g. dshm");
                continue;
            }
            if (OWN_VOLUMES.contains(n)) {
                out.add(at + ".name: '" + n + "' is a volume pbtnas adds itself (" + String.join(", ",
                        OWN_VOLUMES.stream().sorted().toList()) + "); choose another name");
            } else if (!names.add(n)) {
                out.add(at + ".name: '" + n + "' is already the name of another volume");
            }
            long sources = v.keySet().stream().filter(k -> !"name".equals(k)).count();
            if (sources != 1) {
                out.add(at + ": give exactly one volume source beside name (e.g. emptyDir, configMap, secret, "
                        + "persistentVolumeClaim), got " + sources);
            }
        }
        return names;
    }

    private static void volumeMounts(List<VolumeMountSpec> mounts, Set<String> volumes, String field, List<String> out) {
        if (mounts == null) {
            return;
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            String at = field + "[" + i + "]";
            VolumeMountSpec m = mounts.get(i);
            if (m == null) {
                out.add(at + ": needs name and mountPath");
                continue;
            }
            if (m.name() == null || OWN_VOLUMES.contains(m.name())) {
                out.add(at + ".name: " + (m.name() == null ? "required" : "'" + m.name() + "' is pbtnas's own volume, "
                        + "mounted where pbtnas needs it") + "; name one of spec.trainer.volumes");
            } else if (!volumes.contains(m.name())) {
                out.add(at + ".name: no volume '" + m.name() + "' in spec.trainer.volumes; add it there or fix the name");
            }
            String path = m.mountPath();
            if (path == null || !path.startsWith("/")) {
                out.add(at + ".mountPath: " + (path == null ? "required" : "'" + path + "' is not absolute")
                        + ", e.g. /dev/shm");
                continue;
            }
            if (List.of(path.split("/")).contains("..")) {
                out.add(at + ".mountPath: " + path + " contains '..'; give the path itself");
                continue;
            }
            String normal = normalize(path);
            for (String own : OWN_PATHS) {
                if (normal.equals(own) || normal.startsWith(own + "/")) {
                    out.add(at + ".mountPath: " + path + " is " + (normal.equals(own) ? "" : "below ") + own
                            + ", where pbtnas mounts its own volume or file; choose a path outside "
                            + String.join(", ", OWN_PATHS));
                }
            }
            if (!paths.add(normal)) {
                out.add(at + ".mountPath: " + path + " is already the path of another mount");
            }
        }
    }

    private static void envValueFrom(TrainerSpec trainer, String field, List<String> out) {
        List<EnvValueFrom> list = trainer.envValueFrom();
        if (list == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            EnvValueFrom e = list.get(i);
            if (e == null || e.name() == null || e.name().isEmpty() || e.name().contains("=")) {
                out.add(at + ".name: " + (e == null || e.name() == null ? "required" : "'" + e.name() + "' is not a "
                        + "variable name") + ", e.g. WANDB_API_KEY");
                continue;
            }
            if (TrainerContract.VARIABLES.contains(e.name())) {
                out.add(at + ".name: " + e.name() + " is set by pbtnas for every step (the trainer contract); use "
                        + "another name");
            } else if (trainer.env() != null && trainer.env().containsKey(e.name())) {
                out.add(at + ".name: " + e.name() + " is also set in spec.trainer.env; keep one of them");
            } else if (!names.add(e.name())) {
                out.add(at + ".name: " + e.name() + " is listed twice");
            }
            EnvValueFrom.Source s = e.valueFrom();
            int refs = s == null ? 0 : (s.secretKeyRef() == null ? 0 : 1) + (s.configMapKeyRef() == null ? 0 : 1);
            if (refs != 1) {
                out.add(at + ".valueFrom: give exactly one of secretKeyRef and configMapKeyRef, e.g. {secretKeyRef: "
                        + "{name: wandb, key: api-key}}");
                continue;
            }
            EnvValueFrom.KeyRef ref = e.ref();
            String refField = at + ".valueFrom." + (s.secretKeyRef() != null ? "secretKeyRef" : "configMapKeyRef");
            if (ref.name() == null || !isSubdomain(ref.name())) {
                out.add(refField + ".name: " + (ref.name() == null ? "required" : "'" + ref.name() + "' is not a "
                        + "valid object name") + "; the Secret's or ConfigMap's name in the search's namespace");
            }
            if (ref.key() == null || ref.key().isEmpty()) {
                out.add(refField + ".key: required, the key whose value the variable gets");
            }
        }
    }

    /**
     * Problems of running {@code trainer} on this machine, whose environment is {@code environment}: a
     * variable that comes from a Secret or ConfigMap on a cluster must be set here instead (a trainer
     * process inherits the environment of `pbtnas run`), unless it is optional.
     */
    public static List<String> localProblems(TrainerSpec trainer, Map<String, String> environment, String field) {
        List<String> out = new ArrayList<>();
        if (trainer == null || trainer.envValueFrom() == null) {
            return out;
        }
        for (int i = 0; i < trainer.envValueFrom().size(); i++) {
            EnvValueFrom e = trainer.envValueFrom().get(i);
            if (e != null && e.name() != null && !e.optional() && !environment.containsKey(e.name())) {
                out.add(field + ".envValueFrom[" + i + "]: " + e.name() + " comes from " + e.describeSource()
                        + " on a cluster; the local mode reads no cluster objects: set " + e.name()
                        + " in the environment of pbtnas run (or mark the reference optional)");
            }
        }
        return out;
    }

    static boolean isQualifiedName(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || !isSubdomain(prefix)) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
    }

    static boolean isSubdomain(String s) {
        return !s.isEmpty() && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
    }

    private static String normalize(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
