package io.pbtnas.cli.local;

import io.pbtnas.cli.steps.MixStep;
import io.pbtnas.cli.steps.FileTrees;

import io.pbtnas.cli.output.RunListener;
import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.contract.TrainerExit;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.SearchSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One Train action, on a worker thread: write the mixed child if the plan has
 * one and it is missing, run the trainer, and turn what it left on disk into
 * the engine's MemberResult. A member's failure is a FAILED result, never an exception.
 */
final class MemberStep {
    private final CheckpointLayout layout;
    private final SearchSpec spec;
    private final TrainerRunner runner;
    private final RunListener listener;
    private final BooleanSupplier stopRequested;

    MemberStep(CheckpointLayout layout, SearchSpec spec, TrainerRunner runner, RunListener listener,
               BooleanSupplier stopRequested) {
        this.layout = layout;
        this.spec = spec;
        this.runner = runner;
        this.listener = listener;
        this.stopRequested = stopRequested;
    }

    MemberResult run(Action.Train t) throws IOException, InterruptedException {
        Path outputDir = layout.resolve(t.outputDir());
        TrainerJob job = new TrainerJob(t.attempt(), outputDir, TrainerContract.train(spec, t,
                relative -> layout.resolve(relative).toString(), TrainerJob.terminationLog(outputDir).toString()));
        // This run starts each attempt once, and complete outputs of an earlier run were taken as they
        // are (finishedOnDisk): what is here is a partial step of an interrupted run, whose trainer was
        // ended at the start (reapOrphans). It never counted; clear it, as its publishes never replace.
        FileTrees.delete(outputDir);
        listener.memberStarted(job);
        if (t.mix() != null) {
            try {
                new MixStep(layout, t.mix(), spec.searchSpace()).run();
            } catch (IOException | RuntimeException e) {
                String msg = "mixing parent " + t.mix().parent() + " with donor " + t.mix().donor() + " failed: "
                        + e.getMessage();
                listener.memberFinished(job, null, 0, msg);
                return MemberResult.failed(t.member(), t.generation(), t.attempt(), msg);
            }
        }
        if (stopRequested.getAsBoolean()) {
            // Queued before the stop: start no new trainer.
            return MemberResult.failed(t.member(), t.generation(), t.attempt(), "stopped");
        }
        TrainerRunner.Exit exit = runner.run(job);
        if (exit.code() == 130 || exit.code() == 143) {
            // Ctrl-C in a terminal reaches the trainers too; give our own handler a moment to say so,
            // so an interrupted step is not recorded as a failed attempt.
            Thread.sleep(1000);
        }
        if (stopRequested.getAsBoolean()) {
            return MemberResult.failed(t.member(), t.generation(), t.attempt(), "stopped");
        }
        String error;
        if (exit.code() == 0) {
            try {
                double score = verified(layout, t).score();
                listener.memberFinished(job, score, exit.seconds(), null);
                return MemberResult.succeeded(t.member(), t.generation(), t.attempt(), score);
            } catch (IllegalArgumentException e) {
                error = "trainer exited 0 but its " + e.getMessage();
            }
        } else {
            error = "trainer exited with code " + exit.code() + (exit.tail().isBlank() ? "" : ": "
                    + lastLine(exit.tail())) + " (log: " + exit.log() + ")";
        }
        listener.memberFinished(job, null, exit.seconds(), error);
        // The contract's exit codes, read as on a cluster: exit 2 (bad input) is not retried.
        return new MemberResult(t.member(), t.generation(), t.attempt(),
                exit.code() == 0 ? Outcome.FAILED : TrainerExit.outcome(exit.code()), null, error);
    }

    /** The line that best says why: the last error or exception line, else the last line. */
    static String lastLine(String tail) {
        String[] lines = tail.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i];
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("Caused by")
                    && (l.contains("rror") || l.contains("Exception"))) {
                return l.strip();
            }
        }
        return lines[lines.length - 1].strip();
    }

    /** The outputs of step {@code t}, when they pass the contract's checks; else IllegalArgumentException. */
    static TrainerOutput.Verified verified(CheckpointLayout layout, Action.Train t) {
        return TrainerOutput.verify(layout.resolve(t.outputDir()), t.genome(), t.epochTo());
    }

    /** When a step found finished on disk wrote its metrics (ISO-8601), or null if unreadable. */
    static String finishedOnDiskAt(CheckpointLayout layout, Action.Train t) {
        try {
            return java.nio.file.Files.getLastModifiedTime(layout.memberDir(t.member(), t.generation())
                    .resolve(CheckpointLayout.METRICS)).toInstant().toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The score of a step finished before an interruption, when its outputs pass every check. */
    static Optional<Double> finishedOnDisk(CheckpointLayout layout, Action.Train t) {
        try {
            return Optional.of(verified(layout, t).score());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
