package io.pbtnas.cli.output;

import io.pbtnas.cli.local.TrainerJob;
import io.pbtnas.cli.local.TrainerProgress;
import io.pbtnas.cli.report.HparamFormat;
import io.pbtnas.cli.report.ReportData;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Lines a person can follow on stdout, plus (only when stderr is a terminal)
 * a one-line progress indicator redrawn in place during long training steps.
 */
public final class HumanOutput implements RunListener {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean live;
    private final Map<Integer, TrainerProgress> running = new TreeMap<>();
    private int population;
    private int doneInGeneration;
    private int currentGeneration = -1;
    private long lastDraw;
    private boolean drawn;

    public HumanOutput(PrintStream out, PrintStream err, boolean live) {
        this.out = out;
        this.err = err;
        this.live = live;
    }

    @Override
    public synchronized void started(String name, Path dir, int population, int generations, int parallel,
                                     int threads, boolean resumed) {
        this.population = population;
        line(String.format(Locale.ROOT, "pbtnas: %s search '%s': population %d, %d generations, %d trainer%s at "
                        + "once (%d thread%s each), work dir %s", resumed ? "resuming" : "starting", name,
                population, generations, parallel, parallel == 1 ? "" : "s", threads, threads == 1 ? "" : "s", dir));
    }

    @Override
    public synchronized void memberStarted(TrainerJob job) {
        if (job.generation() != currentGeneration) {
            currentGeneration = job.generation();
            doneInGeneration = 0;
        }
        running.put(job.member(), new TrainerProgress(job.member(), job.generation(), -1, -1, -1, Double.NaN));
        draw(true);
    }

    @Override
    public synchronized void progress(TrainerProgress p) {
        running.put(p.member(), p);
        draw(false);
    }

    @Override
    public synchronized void memberFinished(TrainerJob job, Double score, double seconds, String error) {
        running.remove(job.member());
        doneInGeneration++;
        if (error == null) {
            line(String.format(Locale.ROOT, "  gen %d  member %d  score %.4f  (%.1f s)", job.generation(),
                    job.member(), score, seconds));
        } else {
            line(String.format(Locale.ROOT, "  gen %d  member %d  FAILED (attempt %d): %s", job.generation(),
                    job.member(), job.attempt(), error));
        }
        draw(true);
    }

    @Override
    public synchronized void generationDone(GenerationSummary s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "gen %d/%d done: best %.4f (member %d), median %.4f", s.generation(), s.generations(), s.best(),
                s.bestMember(), s.median()));
        if (s.failed() > 0) {
            b.append(", ").append(s.failed()).append(" failed");
        }
        if (s.replacements().isEmpty()) {
            b.append("; no replacements");
        } else {
            b.append("; replaced ").append(s.replacements().stream().map(HumanOutput::replacement)
                    .collect(Collectors.joining(", ")));
        }
        line(b.toString());
    }

    static String replacement(ReportData.Replacement r) {
        return String.format(Locale.ROOT, "%d <- %s(parent %d, donor %d; genes from donor: %s)", r.child(),
                r.kind(), r.parent(), r.donor(),
                r.swappedGenes().isEmpty() ? "none" : String.join(",", r.swappedGenes()));
    }

    @Override
    public synchronized void finished(FinalSummary s) {
        clear();
        out.println();
        out.print(finalTable(s));
        out.println();
        String bestHparams = s.population().stream().filter(r -> r.member() == s.bestMember()).findFirst()
                .map(r -> hparams(HparamFormat.of(s.hyperparameters()), r.hparams())).orElse("");
        out.printf(Locale.ROOT, "best: member %d, score %.4f, genome %s%s%n", s.bestMember(), s.bestScore(),
                genome(s.bestGenome()), bestHparams.isEmpty() ? "" : ", hyperparameters " + bestHparams);
        out.printf(Locale.ROOT, "best network: %s   (evaluate it: pbtnas eval %s)%n", s.bestDir(), s.bestDir());
        out.printf(Locale.ROOT, "report: %s%n", s.report());
        out.printf(Locale.ROOT, "search took %.1f s%n", s.seconds());
        out.flush();
    }

    @Override
    public synchronized void failed(String message) {
        line("pbtnas: search failed: " + message);
    }

    @Override
    public synchronized void note(String message) {
        line("pbtnas: " + message);
    }

    /**
     * The population at the end: member (* marks the best), last score, replacements, a column per
     * hyperparameter (the values of the last step, as {@link HparamFormat} writes them), genome.
     */
    static String finalTable(FinalSummary s) {
        HparamFormat format = HparamFormat.of(s.hyperparameters());
        List<Integer> widths = new ArrayList<>();
        for (String name : format.names()) {
            int w = name.length();
            for (FinalSummary.Row r : s.population()) {
                w = Math.max(w, format.format(name, r.hparams().get(name)).length());
            }
            widths.add(w);
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-7s %-9s %-13s ", "member", "score",
                "replacements"));
        for (int i = 0; i < widths.size(); i++) {
            b.append(String.format(Locale.ROOT, "%-" + widths.get(i) + "s ", format.names().get(i)));
        }
        b.append("genome").append(System.lineSeparator());
        for (FinalSummary.Row r : s.population()) {
            b.append(String.format(Locale.ROOT, "%-7s %-9s %-13d ", (r.member() == s.bestMember() ? "*" : " ")
                    + r.member(), r.score() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.score()),
                    r.replacements()));
            List<String> values = format.formatAll(r.hparams());
            for (int i = 0; i < widths.size(); i++) {
                b.append(String.format(Locale.ROOT, "%-" + widths.get(i) + "s ", values.get(i)));
            }
            b.append(genome(r.genome())).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** name=value for each hyperparameter, as {@link HparamFormat} writes them; empty without any. */
    static String hparams(HparamFormat format, Map<String, Object> values) {
        List<String> formatted = format.formatAll(values);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < formatted.size(); i++) {
            b.append(i == 0 ? "" : " ").append(format.names().get(i)).append('=').append(formatted.get(i));
        }
        return b.toString();
    }

    static String genome(Map<String, String> g) {
        return g.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private void line(String s) {
        clear();
        out.println(s);
        out.flush();
    }

    private void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    /** Redraws the indicator; at most a few times a second unless {@code force}. */
    private void draw(boolean force) {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 250_000_000L) {
            return;
        }
        lastDraw = now;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[gen %d] %d/%d done", currentGeneration,
                doneInGeneration, population));
        for (TrainerProgress p : running.values()) {
            b.append(" | m").append(p.member());
            if (p.batches() > 0) {
                int pct = (int) (100.0 * Math.max(0, p.batch()) / p.batches());
                b.append(String.format(Locale.ROOT, " e%d %3d%%", p.epoch(), pct));
                if (!Double.isNaN(p.loss())) {
                    b.append(String.format(Locale.ROOT, " loss %.3f", p.loss()));
                }
            } else {
                b.append(" starting");
            }
        }
        err.print("\r\033[K" + b);
        err.flush();
        drawn = true;
    }
}
