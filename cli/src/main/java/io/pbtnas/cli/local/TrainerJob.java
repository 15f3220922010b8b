package io.pbtnas.cli.local;

import io.pbtnas.core.contract.TrainerContract;

import java.nio.file.Path;

/**
 * One trainer process to run: attempt {@code attempt} of {@code step} (member m trains generation g
 * over epochs [epochFrom, epochTo) from its input, null = from scratch), writing into {@code outputDir}.
 */
public record TrainerJob(int attempt, Path outputDir, TrainerContract.Step step) {

    public int member() {
        return step.member();
    }

    public int generation() {
        return step.generation();
    }

    public int epochFrom() {
        return step.epochFrom();
    }

    public int epochTo() {
        return step.epochTo();
    }

    public String genomeJson() {
        return step.genomeJson();
    }

    public Path input() {
        return step.input() == null ? null : Path.of(step.input());
    }

    public long seed() {
        return step.seed();
    }

    /** Where the trainer writes its termination message (the contract's PBTNAS_TERMINATION_LOG). */
    public static Path terminationLog(Path outputDir) {
        return outputDir.resolve("termination-log");
    }
}
