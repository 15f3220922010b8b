package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.operator.api.PbtNasSearch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kueue convention (DESIGN.md, "Kueue"): a search opts in with its own queue-name (and optionally
 * priority-class) label, which member pods, and only they, carry; Kueue's plain-Pod integration then
 * gates each as a single-pod Workload until it is admitted.
 */
public final class KueueLabels {
    public static final String QUEUE_NAME = "kueue.x-k8s.io/queue-name";
    public static final String PRIORITY_CLASS = "kueue.x-k8s.io/priority-class";
    /** The scheduling gate Kueue's pod webhook adds and removes on admission. */
    public static final String ADMISSION_GATE = "kueue.x-k8s.io/admission";

    private KueueLabels() {}

    /** The search's own Kueue labels, to copy onto its member pods (empty: not queued by us). */
    public static Map<String, String> of(PbtNasSearch search) {
        Map<String, String> labels = search.getMetadata().getLabels();
        Map<String, String> out = new LinkedHashMap<>();
        if (labels != null) {
            for (String key : new String[] {QUEUE_NAME, PRIORITY_CLASS}) {
                if (labels.get(key) != null && !labels.get(key).isBlank()) {
                    out.put(key, labels.get(key));
                }
            }
        }
        return out;
    }

    /** The LocalQueue the search's member pods wait in, if it names one. */
    public static Optional<String> queue(PbtNasSearch search) {
        return Optional.ofNullable(of(search).get(QUEUE_NAME));
    }

    /** True while Kueue holds the pod for admission. */
    public static boolean waitsForAdmission(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getSchedulingGates() != null
                && pod.getSpec().getSchedulingGates().stream().anyMatch(g -> ADMISSION_GATE.equals(g.getName()));
    }
}
