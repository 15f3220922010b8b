package io.pbtnas.cli.local;

import io.pbtnas.cli.steps.BestExport;
import io.pbtnas.cli.steps.HistoryFile;
import io.pbtnas.cli.steps.FileTrees;

import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.cli.output.FinalSummary;
import io.pbtnas.cli.output.RunListener;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.engine.Retention;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The local driver: the core engine decides, members train as local trainer
 * processes (at most {@code parallel} at once), mixes happen in-process, and
 * the status is persisted atomically after every decision. Everything else is
 * rebuilt from the work directory, so a run killed at any moment resumes.
 */
public final class LocalSearch {
    /** Everything a run needs; {@code spec} has defaults applied and parallelism = {@code parallel}. */
    public record Settings(String name, SearchSpec spec, WorkDir dir, int parallel, int threads,
                           TrainerCommand trainer, BestExport.TaskSettings task) {
    }

    private record Key(int member, int generation, int attempt) {
        static Key of(Action.Train t) {
            return new Key(t.member(), t.generation(), t.attempt());
        }
    }

    private final Settings settings;
    private final RunListener listener;
    private final Children children;
    private final MemberStep step;
    private volatile boolean stopRequested;

    public LocalSearch(Settings settings, RunListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.children = new Children(settings.dir().running());
        SearchSpec spec = settings.spec();
        boolean userThreads = settings.task().args() != null && settings.task().args().containsKey("threads");
        TrainerEnvironment env = new TrainerEnvironment(spec.trainer() == null ? null : spec.trainer().env(),
                settings.threads(), settings.trainer().builtIn() && !userThreads);
        TrainerRunner runner = new TrainerRunner(settings.trainer(), env, settings.dir().logs(), children,
                listener::progress);
        this.step = new MemberStep(settings.dir().layout(), spec, runner, listener, () -> stopRequested);
    }

    /** Ctrl-C: stop the trainers; the loop then returns {@code 130} with the status persisted. */
    public void requestStop() {
        stopRequested = true;
        children.stopAll();
    }

    public int run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        SearchSpec spec = settings.spec();
        WorkDir dir = settings.dir();
        CheckpointLayout layout = dir.layout();
        int reaped = children.reapOrphans();
        int swept = StrayFiles.sweep(dir.root());
        Optional<SearchStatus> loaded = dir.loadStatus();
        listener.started(settings.name(), dir.root(), spec.population(), spec.generations(), settings.parallel(),
                settings.threads(), loaded.isPresent());
        if (reaped > 0) {
            listener.note("ended " + reaped + " trainer process(es) left running by the interrupted run");
        }
        if (swept > 0) {
            listener.note("removed " + swept + " temporary file(s) the interrupted run left unfinished");
        }
        SearchStatus status = loaded.orElse(null);
        int reported = status == null || status.generation() == null ? -1 : status.generation() - 1;
        List<MemberResult> fresh = new ArrayList<>();
        String pruned = null;
        Map<Key, Future<MemberResult>> running = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallel(), r -> {
            Thread t = new Thread(r, "member");
            t.setDaemon(true);
            return t;
        });
        CompletionService<MemberResult> done = new ExecutorCompletionService<>(pool);
        try {
            while (true) {
                if (stopRequested) {
                    return stopped();
                }
                Decision d = Engine.decide(spec, status, fresh);
                fresh.clear();
                status = d.status();
                dir.saveStatus(status);
                pruned = prune(status, pruned);
                HistoryFile.write(layout, settings.name(), status);
                AtomicFiles.writeString(dir.report(), HtmlReport.render(StatusView.report(settings.name(), spec,
                        status)));
                int settledUpTo = status.phase().isFinal() ? status.generation() : status.generation() - 1;
                for (int g = reported + 1; g <= settledUpTo && status.phase() != Phase.FAILED; g++) {
                    listener.generationDone(StatusView.generation(spec, status, g));
                }
                reported = Math.max(reported, settledUpTo);
                if (status.phase() == Phase.FAILED) {
                    listener.failed(status.message() + " (details: " + dir.status() + ", logs: " + dir.logs() + ")");
                    return 1;
                }
                Optional<Action.Finish> finish = d.actions().stream().filter(Action.Finish.class::isInstance)
                        .map(Action.Finish.class::cast).findFirst();
                if (finish.isPresent()) {
                    return finish(status, t0);
                }
                boolean discovered = false;
                for (Action a : d.actions()) {
                    if (!(a instanceof Action.Train t) || running.containsKey(Key.of(t))) {
                        continue;
                    }
                    Optional<Double> onDisk = MemberStep.finishedOnDisk(layout, t);
                    if (onDisk.isPresent()) {
                        // Trained before an interruption: its outputs are complete (written atomically).
                        fresh.add(MemberResult.succeeded(t.member(), t.generation(), t.attempt(), onDisk.get())
                                .withTimes(null, MemberStep.finishedOnDiskAt(layout, t)));
                        discovered = true;
                        continue;
                    }
                    running.put(Key.of(t), done.submit(() -> {
                        // A worker holds one of the --parallel slots from here to the result.
                        String started = Instant.now().toString();
                        return step.run(t).withTimes(started, Instant.now().toString());
                    }));
                }
                if (discovered) {
                    continue;
                }
                if (running.isEmpty()) {
                    throw new IllegalStateException("the engine issued no training and did not finish (phase "
                            + status.phase() + ", generation " + status.generation() + "); see " + dir.status());
                }
                Future<MemberResult> f;
                do {
                    f = done.poll(200, TimeUnit.MILLISECONDS);
                    if (stopRequested) {
                        return stopped();
                    }
                } while (f == null);
                for (; f != null; f = done.poll()) {
                    MemberResult r = result(f);
                    running.remove(new Key(r.member(), r.generation(), r.attempt()));
                    fresh.add(r);
                }
            }
        } finally {
            pool.shutdownNow();
            if (!running.isEmpty()) {
                children.stopAll();
                // A worker may be between starting a trainer and registering it (likely on a loaded
                // machine): wait for the workers to end, then stop what they started, so none outlives us.
                pool.awaitTermination(30, TimeUnit.SECONDS);
                children.stopAll();
            }
        }
    }

    /**
     * storage.keepGenerations: deletes the step folders the persisted status no longer needs
     * ({@link Retention}), when what they depend on moved; returns what the folders were pruned for.
     */
    private String prune(SearchStatus status, String prunedFor) throws IOException {
        Integer keep = settings.spec().storage() == null ? null : settings.spec().storage().keepGenerations();
        String horizon = Retention.horizon(status);
        if (keep == null || horizon.equals(prunedFor)) {
            return prunedFor;
        }
        int deleted = 0;
        for (String folder : Retention.prunable(status, keep)) {
            deleted += FileTrees.delete(settings.dir().layout().resolve(folder)) ? 1 : 0;
        }
        if (deleted > 0) {
            listener.note("storage.keepGenerations " + keep + ": deleted " + deleted + " step folder(s) no longer "
                    + "needed");
        }
        return horizon;
    }

    private int stopped() {
        children.stopAll();
        listener.note("stopped; the state is saved in " + settings.dir().root() + ": run the same command to resume");
        return 130;
    }

    private static MemberResult result(Future<MemberResult> f) throws InterruptedException, IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("member execution failed: " + e.getCause(), e.getCause());
        }
    }

    private int finish(SearchStatus status, long t0) throws IOException {
        WorkDir dir = settings.dir();
        Path best = BestExport.export(dir.layout(), settings.name(), status.best(), settings.spec().searchSpace(),
                settings.task());
        listener.finished(new FinalSummary(settings.name(), status.best().member(), status.best().score(),
                status.best().genome(), best.toString(), dir.report().toString(),
                StatusView.rows(settings.spec(), status), (System.nanoTime() - t0) / 1e9,
                settings.spec().searchSpace() == null ? null : settings.spec().searchSpace().hyperparameters()));
        return 0;
    }
}
