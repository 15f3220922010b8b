package io.pbtnas.cli.manifest;

import java.util.List;

/** A manifest a user wrote is wrong; every message names the field and what to fix. */
public final class ManifestException extends Exception {
    private final List<String> problems;

    public ManifestException(String source, List<String> problems) {
        super(source + ": " + (problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
