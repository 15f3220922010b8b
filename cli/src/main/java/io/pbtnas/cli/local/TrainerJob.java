package io.pbtnas.cli.local;

import java.nio.file.Path;

/**
 * One trainer process to run: member {@code member} trains generation
 * {@code generation} (attempt {@code attempt}) over epochs [epochFrom, epochTo),
 * from {@code input} (null = from scratch), writing into {@code outputDir}.
 */
public record TrainerJob(int member, int generation, int attempt, int epochFrom, int epochTo,
                         String genomeJson, Path input, Path outputDir, long seed) {
}
