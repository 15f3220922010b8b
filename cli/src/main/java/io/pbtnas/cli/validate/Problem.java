package io.pbtnas.cli.validate;

/**
 * One thing wrong with a document: the field path as the API server writes it (e.g.
 * {@code spec.searchSpace.genes[0].options}; empty for the whole object) and what is wrong, with the fix.
 */
public record Problem(String path, String message) {
    /** "path: message", or the message alone for the whole object (its text then names the field). */
    public String text() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
