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

/** `pbtnas validate -f FILE...`: every PbtNasSearch judged by a cluster's rules, without a cluster. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Checks PbtNasSearch manifests by the rules a cluster applies, without a cluster.",
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
            "  pbtnas validate -f fmnist.yaml --old before.yaml"
        })
public final class ValidateCommand implements Callable<Integer> {
    /** The exit codes: every PbtNasSearch valid, or one is not (or a file cannot be read). */
    public static final int VALID = Main.OK;
    public static final int INVALID = Main.BAD_INPUT;

    @Option(names = {"-f", "--filename"}, required = true, arity = "1..*", paramLabel = "FILE",
            description = "Manifest files to check, each with one or more YAML documents; '-' reads standard "
                    + "input. Repeat -f or list several files.")
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

    static Outcome validate(SearchValidator validator, List<String> files, String oldFile, InputStream stdin) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String kind = validator.crd().kind();
        Map<String, JsonNode> olds = new HashMap<>();
        Map<String, String> stdinText = new HashMap<>();
        if (oldFile != null) {
            Source source = read(oldFile, stdin, stdinText);
            if (source.failure != null) {
                problems.add(source.name + ": " + source.failure + " (--old)");
            } else {
                Documents.Parsed parsed = Documents.parse(source.text);
                if (parsed.failure() != null) {
                    problems.add(source.name + ": " + parsed.failure() + " (--old)");
                }
                for (Documents.Document d : parsed.documents()) {
                    if (d.node() != null && kind.equals(d.node().path("kind").asText())) {
                        olds.put(d.node().path("metadata").path("name").asText(), d.node());
                    }
                }
            }
        }
        int searches = 0;
        int invalid = 0;
        for (String file : files) {
            Source source = read(file, stdin, stdinText);
            if (source.failure != null) {
                problems.add(source.name + ": " + source.failure);
                invalid++;
                continue;
            }
            Documents.Parsed parsed = Documents.parse(source.text);
            boolean several = parsed.documents().size() > 1 || (parsed.failure() != null && !parsed.documents().isEmpty());
            for (Documents.Document d : parsed.documents()) {
                String where = source.name + (several ? "#" + d.number() : "");
                JsonNode node = d.node();
                if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
                    continue; // an empty document, e.g. after a trailing ---
                }
                if (!node.isObject()) {
                    problems.add(where + ": expected a Kubernetes object (apiVersion, kind, metadata, ...), got "
                            + node.getNodeType().toString().toLowerCase());
                    invalid++;
                    continue;
                }
                String docKind = node.path("kind").asText("");
                if (docKind.isEmpty()) {
                    problems.add(where + ": kind: Required value; a Kubernetes object names its kind (kind: " + kind + ")");
                    invalid++;
                    continue;
                }
                if (!kind.equals(docKind)) {
                    notes.add(where + ": skipped, kind " + docKind + " is not " + kind);
                    continue;
                }
                searches++;
                String name = node.path("metadata").path("name").asText("");
                JsonNode before = oldFile == null ? null : olds.get(name);
                if (oldFile != null && before == null) {
                    notes.add(where + ": no " + kind + " '" + name + "' in " + oldFile + "; checked as a new object");
                }
                SearchValidator.Findings found = validator.check(node, before);
                String label = where + ": " + (name.isEmpty() ? "(no name)" : name);
                if (!found.valid()) {
                    invalid++;
                }
                for (Problem p : found.problems()) {
                    problems.add(label + ": " + p.text());
                }
                if (!found.notChecked().isEmpty()) {
                    notes.add(label + ": not checked yet, as on a cluster: " + found.notChecked().stream()
                            .map(ValidateCommand::describe).collect(Collectors.joining(", ")) + "; fix the above and "
                            + "validate again");
                }
            }
            if (parsed.failure() != null) {
                String where = source.name + (several ? "#" + (parsed.documents().size() + 1) : "");
                problems.add(where + ": " + parsed.failure());
                invalid++;
            }
        }
        notes.add(searches == 0 ? "no " + kind + " found in " + String.join(", ", files)
                : searches + " " + kind + (searches == 1 ? "" : "s") + " checked, " + (invalid == 0 ? "all valid"
                : invalid + " invalid"));
        return new Outcome(problems, notes, invalid == 0 ? VALID : INVALID);
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
