package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each example opens with what it does, what it needs and how long it takes. */
class ExampleHeadersTest {
    static final List<String> HEADINGS = List.of("What it does", "What it needs", "How long it takes");

    @Test
    void everyExampleStartsWithItsCommentBlock() {
        List<Path> files = new ArrayList<>(ExampleFiles.manifests());
        files.add(RepoPaths.examples().resolve("byo-trainer/Dockerfile"));
        files.add(RepoPaths.examples().resolve("byo-trainer/train.py"));
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String head = leadingComment(ServerSideApply.read(file));
            if (head.isBlank()) {
                problems.add(ExampleFiles.relative(file) + ": no opening comment block");
            }
            for (String heading : HEADINGS) {
                if (!head.contains(heading + ":")) {
                    problems.add(ExampleFiles.relative(file) + ": no '" + heading + ":' in its opening comment");
                }
            }
        }
        assertTrue(files.size() >= 8, "examples/ looks incomplete: " + files);
        assertEquals(List.of(), problems);
    }

    /** The lines before the first line of content: '#' comments, or a Python docstring after the shebang. */
    static String leadingComment(String text) {
        StringBuilder head = new StringBuilder();
        boolean docstring = false;
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("\"\"\"")) {
                if (docstring) {
                    break;
                }
                docstring = true;
                head.append(t.substring(3)).append('\n');
                continue;
            }
            if (docstring || t.startsWith("#")) {
                head.append(t).append('\n');
            } else if (!t.isEmpty()) {
                break;
            }
        }
        return head.toString();
    }
}
