package io.pbtnas.operator.bench;

import io.pbtnas.core.json.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a benchmark's results (JSON, and the printed table as Markdown) under benchmarks/results/operator/. */
final class BenchReport {
    private BenchReport() {}

    /** {@code -Dpbtnas.bench.out=DIR}; default: the repository's benchmarks/results/operator (tests run in operator/). */
    static Path dir() throws IOException {
        Path dir = Path.of(System.getProperty("pbtnas.bench.out", "../benchmarks/results/operator"));
        return Files.createDirectories(dir);
    }

    /** Where and how it ran, stored with every result. */
    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("recordedAt", Instant.now().toString());
        env.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        env.put("systemLoadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList());
        env.put("heapMaxMiB", Math.round(Heap.maxMiB()));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("operator", "SearchReconciler in a JOSDK Operator in the benchmark JVM (no Quarkus), "
                + "settings as application.properties: resync " + BenchOperator.RESYNC + ", 50 reconcile threads");
        return env;
    }

    static void write(String name, Object json, String markdown) throws IOException {
        Path dir = dir();
        atomicWrite(dir.resolve(name + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json) + "\n");
        atomicWrite(dir.resolve(name + ".md"), markdown);
        System.out.println(markdown);
        System.out.println("[bench] wrote " + dir.toAbsolutePath().normalize().resolve(name + ".{json,md}"));
    }

    static void writeCsv(String name, String csv) throws IOException {
        atomicWrite(dir().resolve(name + ".csv"), csv);
    }

    private static void atomicWrite(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
