package io.pbtnas.cli.local;

import io.pbtnas.cli.output.FinalSummary;
import io.pbtnas.cli.output.GenerationSummary;
import io.pbtnas.cli.report.HparamFormat;
import io.pbtnas.cli.report.ReportData;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Objective;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pure views of a search status: for the report, the per-generation line and the final table. */
public final class StatusView {
    private StatusView() {
    }

    public static ReportData report(String name, SearchSpec spec, SearchStatus status) {
        int gens = spec.generations();
        List<ReportData.MemberSeries> members = new ArrayList<>();
        for (MemberStatus m : sorted(status)) {
            List<Double> scores = new ArrayList<>();
            for (int g = 0; g < gens; g++) {
                scores.add(m.scoreAt(g).orElse(null));
            }
            members.add(new ReportData.MemberSeries(m.id(), scores, genome(m), m.hparams()));
        }
        ReportData.Best best = status.best() == null || status.best().member() == null ? null
                : new ReportData.Best(status.best().member(), status.best().score(),
                status.best().genome() == null ? Map.of() : status.best().genome(), status.best().checkpoint(),
                bestHparams(status));
        return new ReportData(name, status.phase() == null ? "Pending" : display(status.phase().name()),
                status.generation() == null ? 0 : status.generation(), gens,
                spec.objective() != Objective.MINIMIZE, members, replacements(status), best,
                spec.schedule() == Schedule.ASYNCHRONOUS ? timeline(spec, status) : null, hparamFormat(spec));
    }

    /** How the search's hyperparameters are written (none when the spec has no search space or none). */
    public static HparamFormat hparamFormat(SearchSpec spec) {
        return HparamFormat.of(spec.searchSpace() == null ? null : spec.searchSpace().hyperparameters());
    }

    /**
     * The values the best member trained with in the step its best score belongs to (best.generation;
     * its latest step where that is unset); empty without hyperparameters.
     */
    static Map<String, Object> bestHparams(SearchStatus status) {
        Integer member = status.best().member();
        Optional<MemberStatus> m = status.members().stream().filter(x -> member.equals(x.id())).findFirst();
        if (m.isEmpty() || m.get().hparams().isEmpty()) {
            return Map.of();
        }
        Integer g = status.best().generation();
        return g == null ? m.get().hparams().get(m.get().hparams().size() - 1) : m.get().hparamsAt(g);
    }

    /** The arrival log on the wall clock; times that are absent or unreadable stay null. */
    static ReportData.Timeline timeline(SearchSpec spec, SearchStatus status) {
        List<ReportData.Step> steps = new ArrayList<>();
        for (Arrival a : status.arrivals()) {
            if (a.member() == null || a.step() == null) {
                continue;
            }
            steps.add(new ReportData.Step(a.member(), a.step(), a.attempt() == null ? 0 : a.attempt(),
                    a.verdict() == null ? "" : Json.MAPPER.convertValue(a.verdict(), String.class),
                    instant(a.startedAt()), instant(a.finishedAt())));
        }
        int slots = spec.parallelism() == null ? spec.population() : spec.parallelism();
        return new ReportData.Timeline(slots, steps);
    }

    private static Instant instant(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Every replacement recorded in the lineage, by generation then member. */
    public static List<ReportData.Replacement> replacements(SearchStatus status) {
        List<ReportData.Replacement> out = new ArrayList<>();
        for (MemberStatus m : sorted(status)) {
            for (LineageEntry e : m.lineage()) {
                if (e.kind() == null || e.kind() == LineageEntry.Kind.INITIAL || e.generation() == null) {
                    continue;
                }
                List<String> genes = new ArrayList<>();
                if (e.swappedGenes() != null) {
                    genes.addAll(e.swappedGenes());
                }
                if (e.resampledGenes() != null) {
                    e.resampledGenes().keySet().stream().sorted().forEach(genes::add);
                }
                int parent = e.parent() == null ? -1 : e.parent();
                out.add(new ReportData.Replacement(e.generation(), m.id(), parent,
                        e.donor() == null ? parent : e.donor(), genes, kindName(e.kind())));
            }
        }
        out.sort(Comparator.comparingInt(ReportData.Replacement::generation)
                .thenComparingInt(ReportData.Replacement::child));
        return out;
    }

    /** The line printed when generation {@code g} has been scored: best, median, replacements for g+1. */
    public static GenerationSummary generation(SearchSpec spec, SearchStatus status, int g) {
        boolean max = spec.objective() != Objective.MINIMIZE;
        List<double[]> scored = new ArrayList<>();
        int failed = 0;
        for (MemberStatus m : sorted(status)) {
            Optional<Double> s = m.scoreAt(g);
            if (s.isPresent()) {
                scored.add(new double[] {m.id(), s.get()});
            } else if (m.failedAt().contains(g)) {
                failed++;
            }
        }
        scored.sort(Comparator.comparingDouble(a -> a[1]));
        double median = scored.isEmpty() ? Double.NaN : scored.size() % 2 == 1 ? scored.get(scored.size() / 2)[1]
                : (scored.get(scored.size() / 2 - 1)[1] + scored.get(scored.size() / 2)[1]) / 2;
        double[] best = scored.isEmpty() ? new double[] {-1, Double.NaN}
                : max ? scored.get(scored.size() - 1) : scored.get(0);
        List<ReportData.Replacement> next = replacements(status).stream()
                .filter(r -> r.generation() == g + 1).toList();
        return new GenerationSummary(g, spec.generations(), (int) best[0], best[1], median, failed, next);
    }

    public static List<FinalSummary.Row> rows(SearchSpec spec, SearchStatus status) {
        List<FinalSummary.Row> rows = new ArrayList<>();
        int last = spec.generations() - 1;
        for (MemberStatus m : sorted(status)) {
            // The values of the last step: the ones its last score was trained with.
            rows.add(new FinalSummary.Row(m.id(), m.scoreAt(last).orElse(null), genome(m), m.checkpoint(),
                    m.replacedAt().size(), m.hparamsAt(last)));
        }
        return rows;
    }

    private static List<MemberStatus> sorted(SearchStatus status) {
        return status.members().stream().sorted(Comparator.comparingInt(MemberStatus::id)).toList();
    }

    private static Map<String, String> genome(MemberStatus m) {
        return m.genome() == null ? Map.of() : m.genome();
    }

    private static String kindName(LineageEntry.Kind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String display(String enumName) {
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
