package io.pbtnas.testkit;

import java.util.Optional;

/**
 * One manifest of the shared validation table (resources {@code validation-cases/}): what `pbtnas
 * validate`, the API server with the CRD and the admission webhook must all say about it.
 *
 * @param name     the file's name without {@code .yaml}, e.g. {@code 01-population-zero}
 * @param manifest the PbtNasSearch as written (header comments included; no namespace: tests set it)
 * @param old      the object before the edit, for cases that judge an edit (transition rules)
 * @param valid    the verdict
 * @param field    the field path every refusal must name; empty for a valid case
 * @param why      one line on what the case shows
 */
public record ValidationCase(String name, String manifest, Optional<String> old, boolean valid, String field,
        String why) {
    @Override
    public String toString() {
        return name;
    }
}
