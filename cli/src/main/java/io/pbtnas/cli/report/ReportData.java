package io.pbtnas.cli.report;

import java.util.List;
import java.util.Map;

/**
 * What the report shows, independent of how the status is stored: each
 * member slot's score and hyperparameter values per generation, who replaced whom, and the best network.
 */
public record ReportData(String searchName, String phase, int generation, int generations, boolean maximize,
                         List<MemberSeries> members, List<Replacement> replacements, Best best, Timeline timeline,
                         HparamFormat hyperparameters) {

    public ReportData {
        hyperparameters = hyperparameters == null ? HparamFormat.NONE : hyperparameters;
    }

    /** A report without hyperparameters. */
    public ReportData(String searchName, String phase, int generation, int generations, boolean maximize,
                      List<MemberSeries> members, List<Replacement> replacements, Best best, Timeline timeline) {
        this(searchName, phase, generation, generations, maximize, members, replacements, best, timeline, null);
    }

    /** A report without a timeline (the synchronous schedule) or hyperparameters. */
    public ReportData(String searchName, String phase, int generation, int generations, boolean maximize,
                      List<MemberSeries> members, List<Replacement> replacements, Best best) {
        this(searchName, phase, generation, generations, maximize, members, replacements, best, null, null);
    }

    /**
     * The asynchronous schedule's arrivals on the wall clock: {@code slots} trainers may run at once
     * (spec.parallelism: the GPUs), one {@link Step} per arrival in the order applied.
     */
    public record Timeline(int slots, List<Step> steps) {
        public Timeline {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One attempt of member {@code member} at step {@code step} and what was decided ({@code verdict}:
     * kept, replaced, unjudged, last, retry, failed, waiting). {@code started} / {@code finished} are
     * null where the status has no times (recorded before they were kept, or a step found finished on
     * disk after a restart has no start).
     */
    public record Step(int member, int step, int attempt, String verdict, java.time.Instant started,
                       java.time.Instant finished) {
    }

    /**
     * One population slot. {@code scores.get(g)} is null where generation g has no score yet;
     * {@code hparams.get(g)} is the hyperparameter values step g trained with (empty list without any).
     */
    public record MemberSeries(int id, List<Double> scores, Map<String, String> genome,
                               List<Map<String, Object>> hparams) {
        public MemberSeries {
            hparams = hparams == null ? List.of() : List.copyOf(hparams);
        }

        /** The values of the latest step this slot trained (or trains now); empty without any. */
        public Map<String, Object> latestHparams() {
            return hparams.isEmpty() ? Map.of() : hparams.get(hparams.size() - 1);
        }
    }

    /**
     * Slot {@code child} starts generation {@code generation} as a mix of {@code parent}
     * (better) and {@code donor}, the genes in {@code swappedGenes} taken from the donor.
     */
    public record Replacement(int generation, int child, int parent, int donor, List<String> swappedGenes,
                              String kind) {
    }

    /** The best network; {@code hparams}: the values it trained with in the step that scored it (empty without). */
    public record Best(int member, double score, Map<String, String> genome, String checkpoint,
                       Map<String, Object> hparams) {
        public Best {
            hparams = hparams == null ? Map.of() : hparams;
        }

        public Best(int member, double score, Map<String, String> genome, String checkpoint) {
            this(member, score, genome, checkpoint, null);
        }
    }
}
