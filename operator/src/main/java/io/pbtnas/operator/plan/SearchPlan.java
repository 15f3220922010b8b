package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconcile of a search will do, decided before anything is written ({@link SearchPlanner}),
 * carried out in this order by the applier: mark and report failed pods, delete pods, create member pods,
 * start the export (its ConfigMap, then its pod), delete the export's ConfigMap once exported, record the
 * events, patch the status if it changed, and look again after {@code requeue}.
 *
 * @param status the status to write (equal to the persisted one: nothing to patch)
 * @param requeue when to reconcile again regardless of events (null: on the next event)
 */
public record SearchPlan(List<FailureReports.Report> reports, List<Pod> delete, List<Pod> create,
        Optional<ExportStart> export, boolean deleteExportInput, List<SearchEvent> events, SearchStatus status,
        Duration requeue) {

    /** The export pod and the ConfigMap it reads, created in that order. */
    public record ExportStart(ConfigMap input, Pod pod) {
    }

    /** A plan that writes only a status and events (a paused search). */
    static SearchPlan statusOnly(SearchStatus status, List<SearchEvent> events) {
        return new SearchPlan(List.of(), List.of(), List.of(), Optional.empty(), false, events, status, null);
    }
}
