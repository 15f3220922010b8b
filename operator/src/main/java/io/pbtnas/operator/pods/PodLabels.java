package io.pbtnas.operator.pods;

import java.util.Map;
import java.util.OptionalInt;

/** Labels and names that tie a pod to its search, member, generation and attempt. */
public final class PodLabels {
    public static final String SEARCH = "pbtnas.io/search";
    public static final String MEMBER = "pbtnas.io/member";
    public static final String GENERATION = "pbtnas.io/generation";
    public static final String ATTEMPT = "pbtnas.io/attempt";
    public static final String ROLE = "pbtnas.io/role";
    public static final String ROLE_MEMBER = "member";
    public static final String ROLE_CLEANUP = "cleanup";
    public static final String ROLE_EXPORT = "export";

    private PodLabels() {}

    /** Deterministic, so a restarted operator finds the pod it created before the crash. */
    public static String memberPodName(String search, int member, int generation, int attempt) {
        return search + "-m" + member + "-g" + generation + "-a" + attempt;
    }

    public static String cleanupPodName(String search) {
        return search + "-cleanup";
    }

    /** Deterministic too: a restarted operator finds the export it started, and counts attempts by name. */
    public static String exportPodName(String search, int attempt) {
        return search + "-export-a" + attempt;
    }

    public static Map<String, String> export(String search, int attempt) {
        return Map.of(SEARCH, search, ROLE, ROLE_EXPORT, ATTEMPT, Integer.toString(attempt));
    }

    public static Map<String, String> member(String search, int member, int generation, int attempt) {
        return Map.of(SEARCH, search, ROLE, ROLE_MEMBER, MEMBER, Integer.toString(member),
                GENERATION, Integer.toString(generation), ATTEMPT, Integer.toString(attempt));
    }

    public static OptionalInt intLabel(Map<String, String> labels, String key) {
        String v = labels == null ? null : labels.get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
