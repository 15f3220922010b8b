package io.pbtnas.core.engine;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.space.Genome;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a driver (operator or local mode) must do next. Drivers de-duplicate Train by (member, generation, attempt). */
public sealed interface Action {

    /**
     * Train {@code member} for epochs [epochFrom, epochTo) of {@code generation}. Start from
     * {@code inputCheckpoint} (relative to the search root; null = from scratch); when {@code mix}
     * is set, first write the mixed child to {@code mix.output()} (= inputCheckpoint) unless it exists.
     */
    record Train(int member, int generation, int attempt, int epochFrom, int epochTo, Genome genome,
                 String inputCheckpoint, MixPlan mix, Map<String, Object> hparams) implements Action {

        /** {@code hparams}: the member's hyperparameter values for this step (PBTNAS_HPARAMS); empty when none. */
        public Train {
            hparams = hparams == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hparams));
        }

        public Train(int member, int generation, int attempt, int epochFrom, int epochTo, Genome genome,
                     String inputCheckpoint, MixPlan mix) {
            this(member, generation, attempt, epochFrom, epochTo, genome, inputCheckpoint, mix, Map.of());
        }

        /**
         * Where this attempt's trainer writes model.safetensors and metrics.json, relative to the search
         * root: its own directory, so no other attempt of the step can overwrite its files or it theirs.
         */
        public String outputDir() {
            return CheckpointLayout.relativeAttemptDir(member, generation, attempt);
        }
    }

    /** The search is over; {@code bestMember}'s last checkpoint is the result (status.best has the details). */
    record Finish(int bestMember) implements Action {
    }
}
