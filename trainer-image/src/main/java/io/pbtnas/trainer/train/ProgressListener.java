package io.pbtnas.trainer.train;

/** Receives one call per reported training batch (for the stdout progress lines). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (epoch, batch, batches, loss) -> { };

    void onBatch(int epoch, int batch, int batches, double loss);
}
