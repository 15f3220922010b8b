package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** `pbtnas validate -f FILE...`: every PbtNasSearch judged by a cluster's rules, without a cluster. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check PbtNasSearch manifests by the rules a cluster applies, without a cluster.",
            "Each document of kind PbtNasSearch is checked against the CRD this pbtnas was built with: its "
                    + "OpenAPI schema (types, bounds, enums, required and unknown fields, as kubectl apply's "
                    + "strict field validation), its CEL rules (x-kubernetes-validations) and the operator's "
                    + "own rules (the search space, hyperparameter ranges, selection for the population, the "
                    + "trainer pod's names, paths and quantities), in the API server's order.",
            "Documents of other kinds are skipped with a note on standard error, so a GitOps folder can be "
                    + "checked as it is.",
            "Each problem is one line on standard output, FILE[#DOC]: NAME: FIELD: what is wrong and the fix.",
            "Exit status: 0 when every PbtNasSearch is valid, 2 when one is not or a file cannot be read or "
                    + "parsed.",
            "Example, a pre-commit hook or CI step:",
            "  pbtnas validate -f deploy/searches/*.yaml",
            "Example, is this edit allowed (the immutable fields)?",
            "  kubectl get pbtnassearch fmnist -o yaml > before.yaml",
            "  pbtnas validate -f fmnist.yaml --old before.yaml",
            "Nothing is sent to a cluster: the CRD is the one packaged into this pbtnas's jar, so neither a "
                    + "cluster nor a crds/ folder is needed."
        })
public final class ValidateCommand implements Callable<Integer> {
    /** The exit codes: every PbtNasSearch valid, or one is not (or a file cannot be read). */
    public static final int VALID = Main.OK;
    public static final int INVALID = Main.BAD_INPUT;

    @Option(names = {"-f", "--file"}, required = true, arity = "1..*", paramLabel = "FILE",
            description = "Manifest files to check, each with one or more YAML documents; a folder stands for "
                    + "its .yaml, .yml and .json files; '-' reads standard input. Repeat -f or list several files.")
    List<String> files;

    @Option(names = "--old", paramLabel = "FILE",
            description = "The objects before the edit (e.g. from kubectl get -o yaml), matched by name: the "
                    + "rules on edits (immutable fields) are then applied too.")
    String old;

    /** What a run found: problem lines (standard output), notes (standard error), the exit code. */
    public record Outcome(List<String> problems, List<String> notes, int exitCode) {
    }

    @Override
    public Integer call() {
        Outcome o = validate(files, old, System.in);
        print(o, System.out, System.err);
        return o.exitCode();
    }

    static void print(Outcome o, PrintStream out, PrintStream err) {
        o.problems().forEach(out::println);
        o.notes().forEach(n -> err.println("pbtnas validate: " + n));
        out.flush();
        err.flush();
    }

    /** Checks {@code files} ('-' is {@code stdin}) with the packaged CRD; {@code oldFile} may be null. */
    public static Outcome validate(List<String> files, String oldFile, InputStream stdin) {
        return validate(SearchValidator.packaged(), files, oldFile, stdin);
    }

    /**
     * Checks one manifest given as text ({@code name} labels its lines, e.g. a case's name), with the
     * object before the edit when {@code old} is present: for tests and tools that hold manifests in memory.
     */
    public static Outcome validateText(String name, String manifest, java.util.Optional<String> old) {
        return validate(SearchValidator.packaged(), List.of(new Source(name, manifest, null)),
                old.map(o -> new Source(name + " (old)", o, null)).orElse(null));
    }

    static Outcome validate(SearchValidator validator, List<String> files, String oldFile, InputStream stdin) {
        Map<String, String> stdinText = new HashMap<>();
        Source old = oldFile == null ? null : read(oldFile, stdin, stdinText);
        List<Source> sources = new ArrayList<>();
        for (String file : files) {
            for (String f : expand(file)) {
                sources.add(read(f, stdin, stdinText));
            }
        }
        return validate(validator, sources, old);
    }

    private static Outcome validate(SearchValidator validator, List<Source> sources, Source oldSource) {
        Tally t = new Tally(validator);
        Map<String, JsonNode> olds = oldSource == null ? null : t.olds(oldSource);
        for (Source source : sources) {
            if (source.failure != null) {
                t.invalid(source.name + ": " + source.failure);
                continue;
            }
            Documents.Parsed parsed = Documents.parse(source.text);
            boolean several = parsed.documents().size() > 1 || (parsed.failure() != null && !parsed.documents().isEmpty());
            for (Documents.Document d : parsed.documents()) {
                List<JsonNode> objects = Documents.objects(d.node());
                for (int i = 0; i < objects.size(); i++) {
                    String where = source.name + (several ? "#" + d.number() : "")
                            + (objects.get(i) == d.node() ? "" : ": items[" + i + "]");
                    t.object(where, objects.get(i), olds, oldSource);
                }
            }
            if (parsed.failure() != null) {
                t.invalid(source.name + (several ? "#" + (parsed.documents().size() + 1) : "") + ": " + parsed.failure());
            }
        }
        return t.outcome(sources);
    }

    /** The problems, notes and counts of one run, as documents are checked. */
    private static final class Tally {
        final SearchValidator validator;
        final String kind;
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int searches;
        int invalid;

        Tally(SearchValidator validator) {
            this.validator = validator;
            this.kind = validator.crd().kind();
        }

        void invalid(String line) {
            problems.add(line);
            invalid++;
        }

        /** The searches of the --old file by name; its own failures are problems too. */
        Map<String, JsonNode> olds(Source old) {
            Map<String, JsonNode> out = new HashMap<>();
            if (old.failure != null) {
                invalid(old.name + ": " + old.failure + " (--old)");
                return out;
            }
            Documents.Parsed parsed = Documents.parse(old.text);
            if (parsed.failure() != null) {
                invalid(old.name + ": " + parsed.failure() + " (--old)");
            }
            for (Documents.Document d : parsed.documents()) {
                for (JsonNode o : Documents.objects(d.node())) {
                    if (o != null && kind.equals(o.path("kind").asText())) {
                        out.put(o.path("metadata").path("name").asText(), o);
                    }
                }
            }
            return out;
        }

        void object(String where, JsonNode node, Map<String, JsonNode> olds, Source oldSource) {
            if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
                return; // an empty document, e.g. after a trailing ---
            }
            if (!node.isObject()) {
                invalid(where + ": expected a Kubernetes object (apiVersion, kind, metadata, ...), got "
                        + node.getNodeType().toString().toLowerCase());
                return;
            }
            String docKind = node.path("kind").asText("");
            if (docKind.isEmpty()) {
                invalid(where + ": kind: Required value; a Kubernetes object names its kind (kind: " + kind + ")");
                return;
            }
            if (!kind.equals(docKind)) {
                notes.add(where + ": skipped, kind " + docKind + " is not " + kind);
                return;
            }
            searches++;
            String name = node.path("metadata").path("name").asText("");
            JsonNode before = olds == null ? null : olds.get(name);
            if (olds != null && before == null) {
                notes.add(where + ": no " + kind + " '" + name + "' in " + oldSource.name + "; checked as a new object");
            }
            SearchValidator.Findings found = validator.check(node, before);
            String label = where + ": " + (name.isEmpty() ? "(no name)" : name);
            if (!found.valid()) {
                invalid++;
            }
            found.problems().forEach(p -> problems.add(label + ": " + p.text()));
            if (!found.notChecked().isEmpty()) {
                notes.add(label + ": not checked yet, as on a cluster: " + found.notChecked().stream()
                        .map(ValidateCommand::describe).collect(Collectors.joining(", ")) + "; fix the above and "
                        + "validate again");
            }
        }

        Outcome outcome(List<Source> sources) {
            notes.add(searches == 0 ? "no " + kind + " found in " + sources.stream().map(Source::name)
                    .collect(Collectors.joining(", "))
                    : searches + " " + kind + " document" + (searches == 1 ? "" : "s") + " checked, "
                    + (invalid == 0 ? "all valid" : invalid + " invalid"));
            return new Outcome(List.copyOf(problems), List.copyOf(notes), invalid == 0 ? VALID : INVALID);
        }
    }

    private static String describe(SearchValidator.Layer layer) {
        return switch (layer) {
            case UNKNOWN_FIELDS -> "unknown fields";
            case SCHEMA -> "the CRD's schema";
            case CEL -> "the CRD's CEL rules";
            case OPERATOR -> "the operator's rules";
            case NONE -> "nothing";
        };
    }

    private record Source(String name, String text, String failure) {
    }

    /** A folder stands for its .yaml, .yml and .json files (not its subfolders), as for kubectl apply -f. */
    private static List<String> expand(String file) {
        Path p = Path.of(file);
        if ("-".equals(file) || !Files.isDirectory(p)) {
            return List.of(file);
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(Files::isRegularFile).map(Path::toString)
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of(file); // read() names the failure
        }
    }

    private static Source read(String file, InputStream stdin, Map<String, String> stdinText) {
        if ("-".equals(file)) {
            try {
                String text = stdinText.get("-");
                if (text == null) {
                    text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                    stdinText.put("-", text);
                }
                return new Source("<stdin>", text, null);
            } catch (IOException e) {
                return new Source("<stdin>", null, "cannot read standard input: " + e.getMessage());
            }
        }
        try {
            return new Source(file, Files.readString(Path.of(file), StandardCharsets.UTF_8), null);
        } catch (NoSuchFileException e) {
            return new Source(file, null, "file not found");
        } catch (IOException e) {
            return new Source(file, null, "cannot read: " + e.getMessage());
        }
    }
}
