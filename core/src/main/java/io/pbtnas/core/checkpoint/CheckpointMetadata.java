package io.pbtnas.core.checkpoint;

/** Names shared by every checkpoint writer and reader (trainer, mixer, operator). */
public final class CheckpointMetadata {
    /** JSON object gene → option. */
    public static final String GENOME = "pbtnas.genome";
    /** The number of epochs trained so far, as a decimal string. */
    public static final String EPOCH = "pbtnas.epoch";
    /** JSON object tensor name → init distribution ({@link InitDistribution#parse}). */
    public static final String INIT = "pbtnas.init";
    /** Optional: the hyperparameters the checkpoint was trained with, the JSON object of PBTNAS_HPARAMS. */
    public static final String HPARAMS = "pbtnas.hparams";
    /** Optional: the search-space JSON. */
    public static final String SEARCH_SPACE = "pbtnas.searchSpace";
    /** Optimizer state of parameter p is stored as {@code optimizer/<slot>/<p>}. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";

    private CheckpointMetadata() {
    }

    public static boolean isOptimizerState(String tensorName) {
        return tensorName.startsWith(OPTIMIZER_PREFIX) && tensorName.indexOf('/', OPTIMIZER_PREFIX.length()) > 0;
    }

    /** The parameter a tensor belongs to: itself, or p for {@code optimizer/<slot>/<p>}. */
    public static String parameterOf(String tensorName) {
        if (!isOptimizerState(tensorName)) {
            return tensorName;
        }
        return tensorName.substring(tensorName.indexOf('/', OPTIMIZER_PREFIX.length()) + 1);
    }

    /** The name of optimizer slot {@code slot} for parameter {@code parameter}. */
    public static String optimizerState(String slot, String parameter) {
        return OPTIMIZER_PREFIX + slot + "/" + parameter;
    }
}
