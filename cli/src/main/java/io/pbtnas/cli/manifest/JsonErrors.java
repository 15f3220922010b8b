package io.pbtnas.cli.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns Jackson's parse failures into "field.path: what is wrong" messages for people. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** {@code root} prefixes the field path (e.g. "plan"); "" for a whole document. */
    public static String describe(JsonProcessingException e, String root) {
        String where = location(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).collect(Collectors.toCollection(TreeSet::new)).stream()
                    .collect(Collectors.joining(", ", " (known: ", ")"));
            return path(u, root) + ": unknown field" + known + where;
        }
        if (e instanceof InvalidFormatException f) {
            Class<?> target = f.getTargetType();
            if (target != null && target.isEnum()) {
                return path(f, root) + ": " + quote(String.valueOf(f.getValue())) + " is not one of "
                        + enumValues(target) + where;
            }
            return path(f, root) + ": expected " + typeName(target) + ", got " + quote(String.valueOf(f.getValue())) + where;
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return path(v, root) + ": " + cause.getMessage() + where;
        }
        if (e instanceof MismatchedInputException mi && String.valueOf(mi.getOriginalMessage()).contains("null")) {
            return path(mi, root) + ": required (missing or null)" + where;
        }
        if (e instanceof MismatchedInputException mi) {
            String p = path(mi, root);
            return (p.isEmpty() ? "document" : p) + ": expected " + typeName(mi.getTargetType())
                    + " here" + where;
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            return path(jm, root) + ": " + e.getOriginalMessage() + where;
        }
        return (root.isEmpty() ? "" : root + ": ") + "cannot parse: " + e.getOriginalMessage() + where;
    }

    /** "spec.searchSpace.genes[2].options" from Jackson's reference chain. */
    static String path(JsonMappingException e, String root) {
        StringBuilder sb = new StringBuilder(root);
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String location(JsonLocation loc) {
        return loc == null || loc.getLineNr() <= 0 ? "" : " (line " + loc.getLineNr() + ")";
    }

    private static String enumValues(Class<?> type) {
        // Enum constants are written as they serialize (e.g. "pbt-nas"), so ask Jackson's own view.
        ObjectMapper m = new ObjectMapper();
        return Arrays.stream(type.getEnumConstants()).map(c -> {
            try {
                return m.writeValueAsString(c).replace("\"", "");
            } catch (JsonProcessingException ex) {
                return String.valueOf(c);
            }
        }).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "a value";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "a mapping (key: value)";
        }
        return "a " + t.getSimpleName();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
