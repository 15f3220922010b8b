package io.pbtnas.trainer;

import io.pbtnas.core.layout.AtomicFiles;
import ai.djl.ndarray.NDManager;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.checkpoint.CheckpointCodec;
import io.pbtnas.trainer.checkpoint.StoredCheckpoint;
import io.pbtnas.trainer.data.DataSplits;
import io.pbtnas.trainer.data.FashionMnist;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.NetworkPlan;
import io.pbtnas.trainer.train.Adam;
import io.pbtnas.trainer.train.AdamSettings;
import io.pbtnas.trainer.train.AdamState;
import io.pbtnas.trainer.train.EpochResult;
import io.pbtnas.trainer.train.Evaluation;
import io.pbtnas.trainer.train.Evaluator;
import io.pbtnas.trainer.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One trainer run: check every input first (nothing is written when one is bad), then train and
 * evaluate, then write model.safetensors, metrics.json and the termination message, in that order.
 */
public final class TrainerRun {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String METRICS_FILE = "metrics.json";

    private final TrainerConfig cfg;
    private final Console console;

    public TrainerRun(TrainerConfig cfg, Console console) {
        this.cfg = cfg;
        this.console = console;
    }

    /** Everything a run starts from, validated. */
    private record Start(SearchSpace space, NetworkPlan plan, Optional<StoredCheckpoint> checkpoint,
            Optional<Map<String, float[]>> weights, Map<String, AdamState> optimizer) {
    }

    public Metrics execute() {
        long t0 = System.nanoTime();
        Start start = prepare();
        cfg.outputDir().ifPresent(TrainerRun::checkWritableDir);
        TaskArgs a = cfg.taskArgs();
        DataSplits data = FashionMnist.load(FashionMnist.resolveDir(a.dataDir()),
                cfg.mode() == Mode.TRAIN ? a.trainSubset() : 1, a.validationSubset(), a.testSubset());
        EngineSetup.start(cfg.threads());
        NetworkPlan plan = start.plan();
        console.event("start", startFields(plan, data));
        try (NDManager manager = NDManager.newBaseManager();
             Network net = start.weights().isPresent()
                     ? Network.of(plan, manager, start.weights().get())
                     : Network.initialise(plan, manager, cfg.seed())) {
            EpochResult last = null;
            Adam adam = null;
            if (cfg.mode() == Mode.TRAIN) {
                adam = new Adam(net, AdamSettings.withLearningRate(a.learningRate())
                        .withWeightDecay(cfg.hparams().weightDecay()), start.optimizer());
                TrainingLoop loop = new TrainingLoop(net, adam, a.batchSize(), a.progressEvery());
                for (int epoch = cfg.epochFrom(); epoch < cfg.epochTo(); epoch++) {
                    last = loop.epoch(data.train(), cfg.seed(), epoch, (e, b, n, loss) ->
                            console.event("progress", ordered("epoch", e, "batch", b, "batches", n, "loss", loss)));
                    console.event("epoch", ordered("epoch", last.epoch(), "trainLoss", last.trainLoss(),
                            "trainAccuracy", last.trainAccuracy(), "images", last.images(), "seconds", last.seconds()));
                }
            }
            Evaluation validation = Evaluator.evaluate(net, data.validation(), a.evalBatchSize());
            Evaluation test = Evaluator.evaluate(net, data.test(), a.evalBatchSize());
            int epoch = cfg.mode() == Mode.TRAIN ? cfg.epochTo()
                    : start.checkpoint().map(StoredCheckpoint::epoch).orElse(0);
            Metrics metrics = new Metrics(validation.accuracy(), epoch, validation.accuracy(), validation.loss(),
                    test.accuracy(), last == null ? null : last.trainLoss(), last == null ? null : last.trainAccuracy(),
                    (System.nanoTime() - t0) / 1e9, plan.genome().choices());
            if (adam != null) {
                writeCheckpoint(start.space(), plan, net.snapshot(), adam);
            }
            writeMetrics(metrics);
            console.event("result", Console.JSON.convertValue(metrics, LinkedHashMap.class));
            return metrics;
        }
    }

    /** All checks that need no data and no engine: space, genome, checkpoint, epochs, width. */
    private Start prepare() {
        Optional<StoredCheckpoint> ck = cfg.input().map(StoredCheckpoint::read);
        SearchSpace space = cfg.searchSpace().or(() -> ck.flatMap(TrainerRun::recordedSpace))
                .orElseGet(() -> BuiltinSearchSpace.fashionMnist(BuiltinSearchSpace.DEFAULT_POSITIONS));
        NetworkPlan.checkSpace(space);
        Genome genome = cfg.genome().or(() -> ck.map(StoredCheckpoint::genome)).orElseThrow();
        try {
            genome = space.ordered(genome);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(ConfigReader.source("genome") + ": " + e.getMessage());
        }
        if (ck.isPresent()) {
            Genome recorded = ck.get().genome();
            if (!recorded.choices().equals(genome.choices())) {
                throw new BadInputException("genome " + genome.toJson() + " (" + ConfigReader.source("genome")
                        + ") differs from the genome " + recorded.toJson() + " recorded in checkpoint " + ck.get().file()
                        + "; train a checkpoint with the genome it was written for, or mix it first ('pbtnas mix')");
            }
            if (cfg.mode() == Mode.TRAIN && ck.get().epoch() != cfg.epochFrom()) {
                throw new BadInputException("checkpoint " + ck.get().file() + " has trained " + ck.get().epoch()
                        + " epochs but " + ConfigReader.source("epoch-from") + " is " + cfg.epochFrom()
                        + "; set it to " + ck.get().epoch() + " to resume");
            }
        } else if (cfg.epochFrom() > 0) {
            throw new BadInputException(ConfigReader.source("epoch-from") + " is " + cfg.epochFrom() + " but there "
                    + "is no input checkpoint; set " + ConfigReader.source("input") + " to the checkpoint after epoch "
                    + cfg.epochFrom() + ", or start at epoch 0");
        }
        NetworkPlan plan = NetworkPlan.of(space, genome, resolveWidth(ck));
        Optional<Map<String, float[]>> weights = ck.map(c -> CheckpointCodec.weights(c, plan, space, cfg.seed()));
        Map<String, AdamState> optimizer = ck.map(c -> CheckpointCodec.optimizer(c, plan)).orElse(Map.of());
        return new Start(space, plan, ck, weights, optimizer);
    }

    private int resolveWidth(Optional<StoredCheckpoint> ck) {
        int asked = cfg.taskArgs().width();
        Optional<Integer> recorded = ck.flatMap(StoredCheckpoint::width);
        if (asked > 0 && recorded.isPresent() && recorded.get() != asked) {
            throw new BadInputException("taskArgs.width is " + asked + " but checkpoint " + ck.get().file()
                    + " was trained at width " + recorded.get() + "; drop taskArgs.width or set it to " + recorded.get());
        }
        return asked > 0 ? asked : recorded.orElse(TaskArgs.DEFAULT_WIDTH);
    }

    private static Optional<SearchSpace> recordedSpace(StoredCheckpoint ck) {
        String json = ck.metadata().get(CheckpointMetadata.SEARCH_SPACE);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SearchSpace.fromJson(json));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("checkpoint " + ck.file() + ": metadata " + CheckpointMetadata.SEARCH_SPACE
                    + " is not a valid search space (" + e.getMessage() + "); pass " + ConfigReader.source("search-space"));
        }
    }

    private static void checkWritableDir(Path dir) {
        Path p = dir.toAbsolutePath();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new BadInputException(ConfigReader.source("output-dir") + ": " + dir + " exists and is not a directory");
        }
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p) || !Files.isWritable(p)) {
            throw new BadInputException(ConfigReader.source("output-dir") + ": cannot create files under " + dir
                    + " (" + p + " is not a writable directory)");
        }
    }

    private void writeCheckpoint(SearchSpace space, NetworkPlan plan, Map<String, float[]> weights, Adam adam) {
        Path dir = cfg.outputDir().orElseThrow();
        Map<String, InitDistribution> init = CheckpointCodec.initTable(plan);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, plan.genome().toJson());
        meta.put(CheckpointMetadata.EPOCH, Integer.toString(cfg.epochTo()));
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        meta.put(CheckpointMetadata.SEARCH_SPACE, space.toJson());
        meta.put(StoredCheckpoint.WIDTH, Integer.toString(plan.width()));
        meta.put(StoredCheckpoint.SEED, Long.toString(cfg.seed()));
        meta.put("pbtnas.task", cfg.task());
        meta.put("pbtnas.optimizer", adam.settings().toString());
        if (!cfg.hparams().given().isEmpty()) {
            meta.put(CheckpointMetadata.HPARAMS, Console.json(cfg.hparams().given()));
        }
        meta.put("pbtnas.trainer", "pbtnas-trainer (DJL PyTorch)");
        try {
            Files.createDirectories(dir);
            Safetensors.write(dir.resolve(MODEL_FILE), meta, CheckpointCodec.tensors(plan, weights, adam.snapshot()));
        } catch (IOException e) {
            throw new TrainingFailedException("cannot write " + dir.resolve(MODEL_FILE) + ": " + e.getMessage(), e);
        }
    }

    private void writeMetrics(Metrics metrics) {
        String json = Console.json(metrics);
        if (cfg.outputDir().isPresent()) {
            Path file = cfg.outputDir().get().resolve(METRICS_FILE);
            try {
                // Created once, like the checkpoint: another run of this attempt cannot replace it.
                AtomicFiles.createString(file, json + "\n");
            } catch (IOException e) {
                throw new TrainingFailedException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            // Written in place: Kubernetes bind-mounts this one file, so it cannot be replaced by a rename.
            Files.writeString(cfg.terminationLog(), json);
        } catch (IOException | SecurityException e) {
            if (cfg.terminationLogSet()) {
                throw new TrainingFailedException("cannot write the termination message to " + cfg.terminationLog()
                        + " (" + ConfigReader.source("termination-log") + "): " + e.getMessage(), e);
            }
            console.warn("cannot write the termination message to " + cfg.terminationLog() + " (" + e.getMessage()
                    + "); fine outside Kubernetes, else set " + ConfigReader.source("termination-log"));
        }
    }

    private Map<String, Object> startFields(NetworkPlan plan, DataSplits data) {
        return ordered("mode", cfg.mode().name().toLowerCase(java.util.Locale.ROOT), "genome", plan.genome().choices(),
                "width", plan.width(), "epochFrom", cfg.epochFrom(), "epochTo", cfg.epochTo(), "seed", cfg.seed(),
                "threads", EngineSetup.threads(), "trainImages", data.train().size(),
                "validationImages", data.validation().size(), "testImages", data.test().size());
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
