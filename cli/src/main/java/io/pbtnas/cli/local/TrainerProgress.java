package io.pbtnas.cli.local;

/** A trainer's `{"event":"progress",...}` stdout line; fields absent from the line are -1 / NaN. */
public record TrainerProgress(int member, int generation, int epoch, int batch, int batches, double loss) {
}
