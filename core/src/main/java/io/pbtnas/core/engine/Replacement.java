package io.pbtnas.core.engine;

import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.space.Genome;

/** A slot that starts the next generation with a new network. */
public record Replacement(int member, Genome genome, LineageEntry lineage) {
}
