package io.pbtnas.cli.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbtnas.core.space.Hyperparameter;

import java.util.List;
import java.util.Map;

/**
 * The end of a search: every member's last score and the exported best network; with the search's
 * hyperparameters (spec.searchSpace.hyperparameters, empty without any), each row's values of its last step.
 */
public record FinalSummary(String searchName, int bestMember, double bestScore, Map<String, String> bestGenome,
                           String bestDir, String report, List<Row> population, double seconds,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Hyperparameter> hyperparameters) {

    public FinalSummary {
        hyperparameters = hyperparameters == null ? List.of() : List.copyOf(hyperparameters);
    }

    /** A summary of a search without hyperparameters. */
    public FinalSummary(String searchName, int bestMember, double bestScore, Map<String, String> bestGenome,
                        String bestDir, String report, List<Row> population, double seconds) {
        this(searchName, bestMember, bestScore, bestGenome, bestDir, report, population, seconds, null);
    }

    /** {@code hparams}: the values the member trained its last step with (empty without hyperparameters). */
    public record Row(int member, Double score, Map<String, String> genome, String checkpoint, int replacements,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> hparams) {
        public Row {
            hparams = hparams == null ? Map.of() : hparams;
        }

        public Row(int member, Double score, Map<String, String> genome, String checkpoint, int replacements) {
            this(member, score, genome, checkpoint, replacements, null);
        }
    }
}
