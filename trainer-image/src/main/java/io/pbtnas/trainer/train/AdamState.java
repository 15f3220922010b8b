package io.pbtnas.trainer.train;

/**
 * Adam's state for one parameter, as stored in a checkpoint: the moment estimates and the number of
 * updates applied. {@code step == 0} means fresh state (a shrink-perturbed gene's state is zeroed).
 */
public record AdamState(float[] expAvg, float[] expAvgSq, long step) {
    public static AdamState fresh(int size) {
        return new AdamState(new float[size], new float[size], 0);
    }
}
