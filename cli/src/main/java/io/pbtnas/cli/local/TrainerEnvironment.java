package io.pbtnas.cli.local;

import io.pbtnas.core.contract.TrainerContract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of one local trainer process: the user's trainer.env, then the contract's
 * variables (from {@link TrainerContract}, which always win), then this machine's settings:
 * {@code threads} goes to OMP_NUM_THREADS, and to PBTNAS_THREADS when {@code passThreads}
 * (the built-in trainer, and the user did not choose threads in the task arguments).
 */
public record TrainerEnvironment(Map<String, String> userEnv, int threads, boolean passThreads) {

    public Map<String, String> forStep(TrainerContract.Step step) {
        Map<String, String> env = new LinkedHashMap<>();
        if (userEnv != null) {
            userEnv.forEach((k, v) -> {
                if (!TrainerContract.VARIABLES.contains(k)) {
                    env.put(k, v);
                }
            });
        }
        env.putAll(TrainerContract.environment(step));
        // Nothing may be downloaded at run time, and members must not oversubscribe the cores.
        env.put("DJL_OFFLINE", "true");
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        if (passThreads) {
            env.put(TrainerContract.THREADS, Integer.toString(threads));
        }
        return env;
    }
}
