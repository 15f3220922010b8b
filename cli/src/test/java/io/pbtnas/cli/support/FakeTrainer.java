package io.pbtnas.cli.support;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fast, deterministic, contract-honouring trainer for the driver's tests (the
 * real DJL trainer is covered by the end-to-end test): one small tensor per gene
 * plus a shared head, "training" nudges them by a fixed rule, the score is a
 * function of the weights, so results depend on the whole lineage. Sleeps
 * FAKE_TRAINER_SLEEP_MS so a test can kill a run in the middle of a generation. FAKE_TRAINER_FAIL_ONCE_MEMBER
 * fails that member's first attempt of generation 0 (and, with FAKE_TRAINER_LATE_WRITE_MS, leaves a process
 * behind that writes garbage into that attempt's output folder later).
 */
public final class FakeTrainer {
    private FakeTrainer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        SearchSpace space = SearchSpace.fromJson(env.get("PBTNAS_SEARCH_SPACE"));
        Genome genome = Genome.fromJson(env.get("PBTNAS_GENOME"));
        Path out = Path.of(env.get("PBTNAS_OUTPUT_DIR"));
        int from = Integer.parseInt(env.get("PBTNAS_EPOCH_FROM"));
        int to = Integer.parseInt(env.get("PBTNAS_EPOCH_TO"));
        long seed = Long.parseLong(env.get("PBTNAS_SEED"));
        String input = env.get("PBTNAS_INPUT");
        if (env.containsKey("FAKE_TRAINER_FAIL_MEMBER")
                && env.get("FAKE_TRAINER_FAIL_MEMBER").equals(env.get("PBTNAS_MEMBER"))) {
            System.err.println("fake trainer: failing on purpose");
            System.exit(1);
        }
        if (env.containsKey("FAKE_TRAINER_FAIL_ONCE_MEMBER")
                && env.get("FAKE_TRAINER_FAIL_ONCE_MEMBER").equals(env.get("PBTNAS_MEMBER"))
                && "0".equals(env.get("PBTNAS_GENERATION"))) {
            Path marker = out.toAbsolutePath().getParent().resolve(".fake-trainer-failed-once");
            if (!Files.exists(marker)) {
                Files.createDirectories(out);
                Files.writeString(marker, "");
                // A trainer that is still writing after its attempt was given up (a pod in its grace
                // period): it replaces whatever is in its output folder, the way torch.save would.
                long late = Long.parseLong(env.getOrDefault("FAKE_TRAINER_LATE_WRITE_MS", "0"));
                if (late > 0) {
                    new ProcessBuilder("/bin/sh", "-c", "sleep " + late / 1000.0 + "; printf 'late garbage' > '"
                            + out.toAbsolutePath().resolve("model.safetensors") + "'")
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                }
                System.err.println("fake trainer: failing the first attempt on purpose");
                System.exit(1);
            }
        }
        holdIfAsked(env);
        LinkedHashMap<String, Tensor> in = input == null ? new LinkedHashMap<>() : Safetensors.readAll(Path.of(input));
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> init = new LinkedHashMap<>();
        for (Gene g : space.genes()) {
            String name = g.prefix() + genome.get(g.name()) + ".w";
            tensors.put(name, weights(in, name, seed));
            init.put(name, "normal(0,0.1)");
        }
        tensors.put("head.w", weights(in, "head.w", seed));
        init.put("head.w", "normal(0,0.1)");
        double sum = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] w = e.getValue().toFloats();
            float target = e.getKey().contains("conv3x3") ? 0.8f : e.getKey().contains("skip") ? 0.2f : 0.5f;
            for (int epoch = from; epoch < to; epoch++) {
                for (int i = 0; i < w.length; i++) {
                    w[i] += 0.3f * (target - w[i]);
                }
                System.out.println("{\"event\":\"progress\",\"epoch\":" + epoch + ",\"batch\":1,\"batches\":1,"
                        + "\"loss\":" + (1 - sum) + "}");
            }
            e.setValue(Tensor.ofFloats(new long[] {w.length}, w));
            for (float v : w) {
                sum += v;
            }
        }
        long sleep = Long.parseLong(env.getOrDefault("FAKE_TRAINER_SLEEP_MS", "0"));
        Thread.sleep(sleep);
        double score = sum / (4.0 * tensors.size());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, genome.toJson());
        meta.put(CheckpointMetadata.EPOCH, Integer.toString(to));
        meta.put(CheckpointMetadata.INIT, Json.write(init));
        Files.createDirectories(out);
        Safetensors.write(out.resolve("model.safetensors"), meta, tensors);
        String metrics = "{\"score\":" + score + ",\"epoch\":" + to + ",\"testAccuracy\":" + score + "}";
        Path tmp = out.resolve(".metrics.json.tmp");
        Files.writeString(tmp, metrics);
        Files.move(tmp, out.resolve("metrics.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(Path.of(env.get("PBTNAS_TERMINATION_LOG")), metrics);
        System.exit(0);
    }

    /**
     * FAKE_TRAINER_HOLD_MEMBER's generation-0 step waits until the file FAKE_TRAINER_HOLD_UNTIL exists: a test
     * releases it only once it has seen what must be able to happen meanwhile (another member's next step).
     */
    private static void holdIfAsked(Map<String, String> env) throws InterruptedException {
        String member = env.get("FAKE_TRAINER_HOLD_MEMBER");
        if (member == null || !member.equals(env.get("PBTNAS_MEMBER")) || !"0".equals(env.get("PBTNAS_GENERATION"))) {
            return;
        }
        Path until = Path.of(env.get("FAKE_TRAINER_HOLD_UNTIL"));
        while (!Files.exists(until)) {
            Thread.sleep(50);
        }
    }

    private static Tensor weights(Map<String, Tensor> in, String name, long seed) {
        Tensor t = in.get(name);
        if (t != null) {
            return t;
        }
        SplittableRandom r = new SplittableRandom(seed ^ name.hashCode());
        float[] w = new float[4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.1);
        }
        return Tensor.ofFloats(new long[] {4}, w);
    }
}
