package io.pbtnas.cli.output;

import io.pbtnas.cli.report.ReportData;

import java.util.List;

/**
 * Generation {@code generation} has been scored: its best and median score,
 * and the members replaced for the next generation (by a mix of which parents, which genes).
 */
public record GenerationSummary(int generation, int generations, int bestMember, double best, double median,
                                int failed, List<ReportData.Replacement> replacements) {
}
