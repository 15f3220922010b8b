package io.pbtnas.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a run reports, in {@code metrics.json} and the termination message. {@code score} is the
 * validation accuracy (higher is better); the training fields are absent in evaluate mode.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(double score, int epoch, double validationAccuracy, double validationLoss, double testAccuracy,
        Double trainLoss, Double trainAccuracy, double seconds, Map<String, String> genome) {
}
