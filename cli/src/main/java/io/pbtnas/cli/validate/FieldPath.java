package io.pbtnas.cli.validate;

/** Field paths written like the API server's: {@code spec.trainer}, {@code genes[0]}, {@code labels[a/b]}. */
final class FieldPath {
    private FieldPath() {
    }

    static String child(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** A key of a map (additionalProperties): in brackets, since keys may hold dots and slashes. */
    static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }
}
