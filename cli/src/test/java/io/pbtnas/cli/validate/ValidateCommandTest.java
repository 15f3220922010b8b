package io.pbtnas.cli.validate;

import io.pbtnas.cli.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `pbtnas validate` as a user calls it: files, standard input, several documents, mixed kinds, edits. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    static String search(String name, String extra) {
        return """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata:
                  name: %s
                spec:
                  population: 4
                  generations: 3
                  searchSpace:
                    genes:
                      - {name: cell0, options: [conv3x3, skip]}
                  trainer: {image: pbtnas/trainer:0.1.0, task: fashion-mnist}
                  storage: {persistentVolumeClaim: {claimName: pbtnas-checkpoints}}
                %s""".formatted(name, extra);
    }

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {a: b}
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidFileExitsZeroAndPrintsNoProblem() throws IOException {
        Path f = write("ok.yaml", search("ok", ""));
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("1 PbtNasSearch document checked, all valid"), r.err());
    }

    @Test
    void severalDocumentsAreNumberedAndOtherKindsSkippedWithANote() throws IOException {
        Path f = write("mixed.yaml", search("good", "") + "---\n" + CONFIG_MAP + "---\n"
                + search("bad", "  strategy: evolution\n  seed: 1\n") + "---\n");
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(List.of(f + "#3: bad: spec.strategy: 'evolution' is not supported; use one of: mutation, pbt-nas, random"),
                r.out().lines().toList());
        assertTrue(r.err().contains(f + "#2: skipped, kind ConfigMap is not PbtNasSearch"), r.err());
        assertTrue(r.err().contains("2 PbtNasSearch documents checked, 1 invalid"), r.err());
    }

    @Test
    void standardInputAndFilesTogether() throws IOException {
        Path f = write("one.yaml", search("one", ""));
        ValidateCommand.Outcome o = ValidateCommand.validate(List.of(f.toString(), "-"), null,
                stdin(search("two", "  population: 2\n").replace("  population: 4\n", "")));
        assertEquals(2, o.exitCode());
        assertEquals(List.of("<stdin>: two: spec.population: too small for the strategy; pbt-nas needs at least 3 members "
                + "(a parent pool of 2 and a replaced slot), mutation at least 2, random at least 1"), o.problems());
    }

    @Test
    void theDashReadsStandardInputThroughTheCommandLine() {
        java.io.InputStream old = System.in;
        try {
            System.setIn(stdin(search("piped", "")));
            Cli.Result r = Cli.run("validate", "-f", "-");
            assertEquals(0, r.code(), r.out() + r.err());
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void yamlThatCannotBeParsedIsInvalidNamingTheLine() throws IOException {
        Path f = write("broken.yaml", search("first", "") + "---\napiVersion: v1\nkind: [unclosed\nmetadata: {}\n");
        ValidateCommand.Outcome o = ValidateCommand.validate(List.of(f.toString()), null, stdin(""));
        assertEquals(2, o.exitCode());
        assertEquals(1, o.problems().size(), o.problems().toString());
        String line = o.problems().get(0);
        assertTrue(line.startsWith(f + "#2: line "), line);
        assertTrue(line.contains("cannot parse the YAML"), line);
        Path dup = write("dup.yaml", search("dup", "  population: 5\n"));
        String dupLine = ValidateCommand.validate(List.of(dup.toString()), null, stdin("")).problems().get(0);
        assertTrue(dupLine.contains("line 13") && dupLine.contains("population"), "a key given twice: " + dupLine);
    }

    @Test
    void aMissingFileIsInvalid() {
        ValidateCommand.Outcome o = ValidateCommand.validate(List.of(dir.resolve("nope.yaml").toString()), null, stdin(""));
        assertEquals(2, o.exitCode());
        assertEquals(List.of(dir.resolve("nope.yaml") + ": file not found"), o.problems());
    }

    @Test
    void oldGivesTheImmutabilityRulesMatchedByName() throws IOException {
        Path before = write("before.yaml", search("edit", "") + "---\n" + search("other", "  seed: 1\n"));
        Path edited = write("edited.yaml", search("edit", "  seed: 9\n").replace("generations: 3", "generations: 5")
                .replace("population: 4", "population: 6"));
        Cli.Result create = Cli.run("validate", "-f", edited.toString());
        assertEquals(0, create.code(), "as a new object the edit is fine: " + create.out());
        Cli.Result edit = Cli.run("validate", "-f", edited.toString(), "--old", before.toString());
        assertEquals(2, edit.code(), edit.err());
        assertEquals(List.of(
                edited + ": edit: spec.population is immutable once the search has started; create a new PbtNasSearch "
                        + "to change it",
                edited + ": edit: spec.seed is immutable once the search has started; create a new PbtNasSearch to "
                        + "change it"), edit.out().lines().toList(), "generations may change, population and seed not");
        Path renamed = write("renamed.yaml", search("fresh", "  seed: 9\n"));
        Cli.Result fresh = Cli.run("validate", "-f", renamed.toString(), "--old", before.toString());
        assertEquals(0, fresh.code(), fresh.out());
        assertTrue(fresh.err().contains("no PbtNasSearch 'fresh' in " + before + "; checked as a new object"), fresh.err());
    }

    @Test
    void laterLayersThatWereNotReachedAreNamedOnStandardError() throws IOException {
        Path f = write("typed.yaml", search("typed", "  seed: many\n"));
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertEquals(2, r.code());
        assertEquals(List.of(f + ": typed: spec.seed: must be an integer, got the string 'many'"), r.out().lines().toList());
        assertTrue(r.err().contains("not checked yet, as on a cluster: the CRD's CEL rules, the operator's rules"), r.err());
    }

    @Test
    void withoutFilesTheCommandSaysHowToCallIt() {
        Cli.Result r = Cli.run("validate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--file=FILE'"), r.err());
    }

    @Test
    void aListAsKubectlGetWritesItIsCheckedItemByItem() throws IOException {
        // kubectl get pbtnassearch -o yaml: the objects (with their status) as items of a List.
        String item = search("listed", "  seed: 1\n") + "status: {phase: Training, generation: 1}\n";
        String list = "apiVersion: v1\nkind: List\nitems:\n- " + item.indent(2).substring(2);
        Path before = write("list.yaml", list);
        Cli.Result asFile = Cli.run("validate", "-f", before.toString());
        assertEquals(0, asFile.code(), asFile.out() + asFile.err());
        Path edited = write("listed.yaml", search("listed", "  seed: 2\n"));
        Cli.Result r = Cli.run("validate", "-f", edited.toString(), "--old", before.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(edited + ": listed: spec.seed is immutable once the search has started; create a new "
                + "PbtNasSearch to change it"), r.out().lines().toList());
    }

    @Test
    void aManifestHeldInMemory() {
        ValidateCommand.Outcome ok = ValidateCommand.validateText("case", search("mem", ""), java.util.Optional.empty());
        assertEquals(0, ok.exitCode(), ok.toString());
        ValidateCommand.Outcome edit = ValidateCommand.validateText("case", search("mem", "  schedule: asynchronous\n"),
                java.util.Optional.of(search("mem", "")));
        assertEquals(2, edit.exitCode());
        assertEquals(List.of("case: mem: spec.schedule is immutable once the search has started (its decisions and arrival "
                + "log follow it); create a new PbtNasSearch to change it"), edit.problems());
    }

    @Test
    void aFolderStandsForItsManifests() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("searches"));
        Files.writeString(folder.resolve("a.yaml"), search("a", ""));
        Files.writeString(folder.resolve("b.yml"), search("b", "  objective: best\n"));
        Files.writeString(folder.resolve("notes.txt"), "not a manifest");
        Files.createDirectory(folder.resolve("nested"));
        Files.writeString(folder.resolve("nested").resolve("c.yaml"), search("c", "  objective: best\n"));
        ValidateCommand.Outcome o = ValidateCommand.validate(List.of(folder.toString()), null, stdin(""));
        assertEquals(2, o.exitCode());
        assertEquals(List.of(folder.resolve("b.yml") + ": b: spec.objective: 'best' is not supported; use one of: "
                + "maximize, minimize"), o.problems(), "a.yaml and b.yml, not notes.txt nor the subfolder");
        assertTrue(o.notes().contains("2 PbtNasSearch documents checked, 1 invalid"), o.notes().toString());
    }
}
