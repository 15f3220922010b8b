package io.pbtnas.trainer.train;

/**
 * Adam's hyper-parameters (PyTorch's defaults except the learning rate, which comes from the task args
 * or PBTNAS_HPARAMS). {@code weightDecay} is decoupled, as torch.optim.AdamW: w -= lr·wd·w before the
 * Adam update; 0 is plain Adam.
 */
public record AdamSettings(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
    public static AdamSettings withLearningRate(double lr) {
        return new AdamSettings(lr, 0.9, 0.999, 1e-8, 0);
    }

    public AdamSettings withWeightDecay(double wd) {
        return new AdamSettings(learningRate, beta1, beta2, eps, wd);
    }

    @Override
    public String toString() {
        return "adam" + (weightDecay > 0 ? "w" : "") + "(lr=" + learningRate + ",beta1=" + beta1 + ",beta2=" + beta2
                + ",eps=" + eps + (weightDecay > 0 ? ",weightDecay=" + weightDecay : "") + ")";
    }
}
