package io.pbtnas.cli.output;

import java.util.List;
import java.util.Map;

/** The end of a search: every member's last score and the exported best network. */
public record FinalSummary(String searchName, int bestMember, double bestScore, Map<String, String> bestGenome,
                           String bestDir, String report, List<Row> population, double seconds) {

    public record Row(int member, Double score, Map<String, String> genome, String checkpoint, int replacements) {
    }
}
