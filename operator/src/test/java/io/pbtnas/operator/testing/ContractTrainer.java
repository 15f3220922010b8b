package io.pbtnas.operator.testing;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny trainer that honours the trainer contract of DESIGN.md without a neural network, so fault
 * and restart tests run in a second instead of minutes. One tensor per gene ({@code <prefix>weight});
 * "training" pulls the weights towards a target that depends on the chosen option, and the score
 * rewards the options listed first. Everything is deterministic in (seed, genome, input checkpoint),
 * so two runs of the same search give identical statuses. PBTNAS_HPARAMS is recorded as pbtnas.hparams, and
 * its learningRate moves the score (best at 1e-3), so a search with no genes at all (plain PBT) has
 * something to rank. Task arg {@code sleepPerOptionMillis} makes later options of the first gene
 * slower, as costlier cells are in NAS; {@code sleepMillisPerOp} gives every op a time per position
 * (the schedule benchmark's architecture-following step times).
 */
public final class ContractTrainer {
    private static final int WIDTH = 8;

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("bad input: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(Map<String, String> env) throws Exception {
        SearchSpace space = SearchSpace.fromJson(require(env, "PBTNAS_SEARCH_SPACE"));
        Genome genome = Genome.fromJson(require(env, "PBTNAS_GENOME"));
        space.check(genome);
        Path out = Path.of(require(env, "PBTNAS_OUTPUT_DIR"));
        int from = Integer.parseInt(require(env, "PBTNAS_EPOCH_FROM"));
        int to = Integer.parseInt(require(env, "PBTNAS_EPOCH_TO"));
        long seed = Long.parseLong(env.getOrDefault("PBTNAS_SEED", "0"));
        Map<?, ?> taskArgs = env.containsKey("PBTNAS_TASK_ARGS")
                ? Json.read(env.get("PBTNAS_TASK_ARGS"), Map.class, "PBTNAS_TASK_ARGS") : Map.of();
        long sleepMillis = taskArgs.get("sleepMillis") instanceof Number n ? n.longValue() : 0;
        if (taskArgs.get("sleepPerOptionMillis") instanceof Number n && !space.genes().isEmpty()) {
            Gene first = space.genes().get(0);
            sleepMillis += n.longValue() * first.options().indexOf(genome.get(first.name()));
        }
        if (taskArgs.get("sleepMillisPerOp") instanceof Map<?, ?> perOp) {
            sleepMillis += sleepForCells(space, genome, perOp);
        }
        String hparams = env.get("PBTNAS_HPARAMS");
        Map<?, ?> values = hparams == null ? Map.of() : Json.read(hparams, Map.class, "PBTNAS_HPARAMS");

        LinkedHashMap<String, Tensor> tensors;
        String input = env.get("PBTNAS_INPUT");
        if (input != null && !input.isBlank()) {
            Path in = Path.of(input);
            if (!Files.isRegularFile(in)) {
                throw new IllegalArgumentException("PBTNAS_INPUT: no checkpoint at " + in);
            }
            tensors = Safetensors.readAll(in);
        } else {
            tensors = fresh(space, seed);
        }
        for (int epoch = from; epoch < to; epoch++) {
            Thread.sleep(sleepMillis);
            for (Gene gene : space.genes()) {
                float target = target(gene, genome.get(gene.name()));
                String name = gene.prefix() + "weight";
                float[] w = tensors.get(name).toFloats();
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.5f * w[i] + 0.5f * target;
                }
                tensors.put(name, Tensor.ofFloats(new long[] {WIDTH}, w));
            }
        }
        double score = score(space, tensors);
        if (values.get("learningRate") instanceof Number lr) {
            score += -0.1 * Math.abs(Math.log10(lr.doubleValue() / 1e-3));
            score = Math.round(score * 1e6) / 1e6;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CheckpointMetadata.GENOME, genome.toJson());
        metadata.put(CheckpointMetadata.EPOCH, Integer.toString(to));
        metadata.put(CheckpointMetadata.INIT, initTable(space));
        if (hparams != null) {
            metadata.put(CheckpointMetadata.HPARAMS, hparams);
        }
        holdWhile(taskArgs, out);
        Files.createDirectories(out);
        Safetensors.write(out.resolve("model.safetensors"), metadata, tensors);
        if (taskArgs.get("truncateInGeneration") instanceof Number g
                && out.toAbsolutePath().getParent().getFileName().toString().equals("gen-" + g.intValue())) {
            // A trainer that dies while writing, yet reports success (the fault the output checks catch).
            Path model = out.resolve("model.safetensors");
            byte[] whole = Files.readAllBytes(model);
            Files.write(model, java.util.Arrays.copyOf(whole, whole.length / 2));
        }
        String metrics = "{\"score\":" + score + ",\"epoch\":" + to + "}";
        writeAtomically(out.resolve("metrics.json"), metrics);
        Files.writeString(Path.of(env.getOrDefault("PBTNAS_TERMINATION_LOG", "/dev/termination-log")), metrics);
        System.out.println(metrics);
        return 0;
    }

    /**
     * Task args {@code holdInGeneration} and {@code holdUntilFile}: in that generation the step writes its
     * outputs only once the file exists, so a test can act (stop the bucket's gateway) while it is sure
     * the trainer has not written anything yet.
     */
    static void holdWhile(Map<?, ?> taskArgs, Path out) throws InterruptedException {
        if (taskArgs.get("holdInGeneration") instanceof Number g && taskArgs.get("holdUntilFile") instanceof String file
                && out.toAbsolutePath().getParent().getFileName().toString().equals("gen-" + g.intValue())) {
            while (!Files.exists(Path.of(file))) {
                Thread.sleep(50);
            }
        }
    }

    /**
     * Task arg {@code sleepMillisPerOp} (op → milliseconds per position holding it), summed over every
     * gene: a step time that follows the whole architecture's cost, as measured for the real trainer.
     */
    static long sleepForCells(SearchSpace space, Genome genome, Map<?, ?> perOp) {
        long total = 0;
        for (Gene gene : space.genes()) {
            String op = genome.get(gene.name());
            if (!(perOp.get(op) instanceof Number ms)) {
                throw new IllegalArgumentException("task arg sleepMillisPerOp has no entry for option '" + op
                        + "' of gene " + gene.name() + "; give every option a number of milliseconds");
            }
            total += ms.longValue();
        }
        return total;
    }

    private static LinkedHashMap<String, Tensor> fresh(SearchSpace space, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Gene gene : space.genes()) {
            float[] w = new float[WIDTH];
            for (int i = 0; i < WIDTH; i++) {
                w[i] = (float) (rng.nextGaussian() * 0.05);
            }
            tensors.put(gene.prefix() + "weight", Tensor.ofFloats(new long[] {WIDTH}, w));
        }
        return tensors;
    }

    private static String initTable(SearchSpace space) {
        StringBuilder json = new StringBuilder("{");
        for (Gene gene : space.genes()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(gene.prefix()).append("weight\":\"normal(0,0.05)\"");
        }
        return json.append('}').toString();
    }

    /** Earlier options are "better": their target is closer to 1. */
    private static float target(Gene gene, String option) {
        int index = gene.options().indexOf(option);
        return 1f - (float) index / gene.options().size();
    }

    private static double score(SearchSpace space, Map<String, Tensor> tensors) {
        if (space.genes().isEmpty()) {
            return 0;
        }
        double sum = 0;
        int n = 0;
        for (Gene gene : space.genes()) {
            for (float v : tensors.get(gene.prefix() + "weight").toFloats()) {
                sum += v;
                n++;
            }
        }
        return Math.round(sum / n * 1e6) / 1e6;
    }

    private static String require(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
        return v;
    }

    private static void writeAtomically(Path target, String text) throws Exception {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
