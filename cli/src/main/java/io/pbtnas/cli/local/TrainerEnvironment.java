package io.pbtnas.cli.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer contract's environment variables (DESIGN.md, "Trainer") for one job.
 * {@code threads} goes to OMP_NUM_THREADS, and to PBTNAS_THREADS when {@code passThreads}
 * (the user did not choose threads in the task arguments).
 */
public record TrainerEnvironment(String searchSpaceJson, String task, String taskArgsJson,
                                 Map<String, String> userEnv, int threads, boolean passThreads) {

    public Map<String, String> forJob(TrainerJob job, Path terminationLog) {
        Map<String, String> env = new LinkedHashMap<>();
        if (userEnv != null) {
            env.putAll(userEnv);
        }
        env.put("PBTNAS_SEARCH_SPACE", searchSpaceJson);
        env.put("PBTNAS_GENOME", job.genomeJson());
        if (job.input() != null) {
            env.put("PBTNAS_INPUT", job.input().toString());
        }
        env.put("PBTNAS_OUTPUT_DIR", job.outputDir().toString());
        env.put("PBTNAS_EPOCH_FROM", Integer.toString(job.epochFrom()));
        env.put("PBTNAS_EPOCH_TO", Integer.toString(job.epochTo()));
        env.put("PBTNAS_SEED", Long.toString(job.seed()));
        if (task != null) {
            env.put("PBTNAS_TASK", task);
        }
        env.put("PBTNAS_TASK_ARGS", taskArgsJson);
        env.put("PBTNAS_TERMINATION_LOG", terminationLog.toString());
        env.put("PBTNAS_MEMBER", Integer.toString(job.member()));
        env.put("PBTNAS_GENERATION", Integer.toString(job.generation()));
        // Nothing may be downloaded at run time, and members must not oversubscribe the cores.
        env.put("DJL_OFFLINE", "true");
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        if (passThreads) {
            env.put("PBTNAS_THREADS", Integer.toString(threads));
        }
        return env;
    }
}
