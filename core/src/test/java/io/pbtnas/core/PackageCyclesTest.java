package io.pbtnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's packages depend on each other without cycles (read from the sources' imports and fully
 * qualified names), so that each can be understood from the ones below it.
 */
class PackageCyclesTest {
    static final Path SOURCES = Path.of("src", "main", "java", "io", "pbtnas", "core");
    static final Pattern REFERENCE = Pattern.compile("io\\.pbtnas\\.core\\.([a-z]+)\\.");

    @Test
    void corePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                Matcher m = REFERENCE.matcher(Files.readString(f));
                Set<String> to = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), cycles(uses), "package dependencies of core: " + uses);
    }

    /** Every package that can reach itself, with the path that does. */
    static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> out = new ArrayList<>();
        for (String start : uses.keySet()) {
            path(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>()).ifPresent(out::add);
        }
        return out;
    }

    private static java.util.Optional<String> path(String start, String at, Map<String, Set<String>> uses,
            List<String> trail, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                return java.util.Optional.of(String.join(" -> ", trail) + " -> " + start);
            }
            if (seen.add(next)) {
                trail.add(next);
                var found = path(start, next, uses, trail, seen);
                if (found.isPresent()) {
                    return found;
                }
                trail.remove(trail.size() - 1);
            }
        }
        return java.util.Optional.empty();
    }
}
