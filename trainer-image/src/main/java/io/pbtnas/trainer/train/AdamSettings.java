package io.pbtnas.trainer.train;

/** Adam's hyper-parameters (PyTorch's defaults except the learning rate, which comes from the task args). */
public record AdamSettings(double learningRate, double beta1, double beta2, double eps) {
    public static AdamSettings withLearningRate(double lr) {
        return new AdamSettings(lr, 0.9, 0.999, 1e-8);
    }

    @Override
    public String toString() {
        return "adam(lr=" + learningRate + ",beta1=" + beta1 + ",beta2=" + beta2 + ",eps=" + eps + ")";
    }
}
