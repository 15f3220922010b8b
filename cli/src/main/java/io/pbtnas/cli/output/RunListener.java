package io.pbtnas.cli.output;

import io.pbtnas.cli.local.TrainerJob;
import io.pbtnas.cli.local.TrainerProgress;

import java.nio.file.Path;

/** What a local search tells the person (or script) watching it. */
public interface RunListener {
    void started(String name, Path dir, int population, int generations, int parallel, int threads, boolean resumed);

    void memberStarted(TrainerJob job);

    void progress(TrainerProgress p);

    /** {@code error} is null on success. */
    void memberFinished(TrainerJob job, Double score, double seconds, String error);

    void generationDone(GenerationSummary s);

    void finished(FinalSummary s);

    /** The search failed for good (every member failed, invalid state...): always shown, even when quiet. */
    void failed(String message);

    /** A notice for people (resumed state, reaped processes...); quiet and JSON outputs may drop it. */
    void note(String message);
}
