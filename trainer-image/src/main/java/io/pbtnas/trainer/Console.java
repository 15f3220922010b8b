package io.pbtnas.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's output: one JSON object per line on stdout (machine-readable events, see the README)
 * and human-readable warnings on stderr.
 */
public final class Console {
    static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** {@code {"event":<event>, ...fields}} on one stdout line. */
    public void event(String event, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.putAll(fields);
        out.println(json(line));
        out.flush();
    }

    public void warn(String message) {
        err.println("pbtnas-trainer: warning: " + message);
        err.flush();
    }

    public void error(String message) {
        err.println("pbtnas-trainer: error: " + message);
        err.flush();
    }

    public PrintStream out() {
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value, e);
        }
    }
}
