package io.pbtnas.cli.output;

import io.pbtnas.cli.local.TrainerJob;
import io.pbtnas.cli.local.TrainerProgress;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Nothing but the result: one line "SCORE BEST_DIR" at the end (errors still go to stderr). */
public final class QuietOutput implements RunListener {
    private final PrintStream out;

    public QuietOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(String name, Path dir, int population, int generations, int parallel, int threads,
                        boolean resumed) {
    }

    @Override
    public void memberStarted(TrainerJob job) {
    }

    @Override
    public void progress(TrainerProgress p) {
    }

    @Override
    public void memberFinished(TrainerJob job, Double score, double seconds, String error) {
    }

    @Override
    public void generationDone(GenerationSummary s) {
    }

    @Override
    public void finished(FinalSummary s) {
        out.printf(Locale.ROOT, "%.6f %s%n", s.bestScore(), s.bestDir());
        out.flush();
    }

    @Override
    public void failed(String message) {
        System.err.println("pbtnas: search failed: " + message);
    }

    @Override
    public void note(String message) {
    }
}
