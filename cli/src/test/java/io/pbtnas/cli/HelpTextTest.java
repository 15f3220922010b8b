package io.pbtnas.cli;

import io.pbtnas.cli.support.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help reads as full sentences. The rule, for `pbtnas` and each of its subcommands:
 * <ul>
 *   <li>the first description line, which `pbtnas --help` lists as the command's summary, is a
 *   sentence on its own;</li>
 *   <li>every other description line ends a sentence, except one that introduces an indented
 *   example on the next line, which ends with ':'; the description's last line ends a sentence;</li>
 *   <li>every option's and parameter's description ends a sentence.</li>
 * </ul>
 * A sentence ends with '.', '!' or '?' (a closing bracket or quote may follow), and not with an
 * abbreviation that announces more ("e.g.", "i.e.", "cf.", "vs.").
 */
class HelpTextTest {
    private static final Pattern SENTENCE_END = Pattern.compile(".*[.!?][)\"']?$", Pattern.DOTALL);
    private static final Pattern ANNOUNCES_MORE = Pattern.compile("(?i).*\\b(e\\.g|i\\.e|cf|vs)\\.$",
            Pattern.DOTALL);

    static boolean endsASentence(String text) {
        String t = text.replace("%n", "\n").strip(); // picocli's line break, as in its own help command
        return SENTENCE_END.matcher(t).matches() && !ANNOUNCES_MORE.matcher(t).matches();
    }

    /** What is wrong with the help of {@code spec} (its name first); empty when it follows the rule. */
    static List<String> problems(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        String name = spec.qualifiedName();
        String[] description = spec.usageMessage().description();
        if (description.length == 0) {
            out.add(name + ": no description");
        } else {
            if (!endsASentence(description[0])) {
                out.add(name + ": the summary (first description line, listed by `pbtnas --help`) is not a "
                        + "sentence on its own: " + description[0]);
            }
            for (int i = 1; i < description.length; i++) {
                String line = description[i];
                boolean example = line.startsWith(" ");
                boolean introducesExample = i + 1 < description.length && description[i + 1].startsWith(" ")
                        && line.strip().endsWith(":");
                if (!example && !introducesExample && !endsASentence(line)) {
                    out.add(name + ": description line " + i + " does not end a sentence: " + line);
                }
            }
            if (!endsASentence(description[description.length - 1])) {
                out.add(name + ": the description ends mid-sentence: " + description[description.length - 1]);
            }
        }
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec a : args) {
            String text = String.join(" ", a.description());
            if (!endsASentence(text)) {
                String label = a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel();
                out.add(name + " " + label + ": the description does not end a sentence: " + text);
            }
        }
        return out;
    }

    static List<CommandLine> everyCommand(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!out.contains(sub)) {
                out.addAll(everyCommand(sub));
            }
        }
        return out;
    }

    @Test
    void everyCommandsHelpEndsInFullSentences() {
        List<CommandLine> commands = everyCommand(new CommandLine(new Main()));
        assertTrue(commands.size() >= 9, "pbtnas and its subcommands: " + commands.size());
        List<String> problems = new ArrayList<>();
        commands.forEach(c -> problems.addAll(problems(c.getCommandSpec())));
        assertEquals(List.of(), problems);
    }

    @Test
    void theCommandListOfPbtnasHelpHasASentencePerCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r.err());
        String list = r.out().substring(r.out().indexOf("Commands:") + "Commands:".length());
        // An entry starts two spaces in with its name; its wrapped lines are indented further.
        List<String> entries = new ArrayList<>();
        for (String line : list.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.matches("^  \\S.*")) {
                entries.add(line.strip());
            } else {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        assertTrue(entries.size() >= 8, entries.toString());
        for (String e : entries) {
            assertTrue(endsASentence(e), "`pbtnas --help` lists a command mid-sentence: " + e);
        }
    }

    @Test
    void theRuleCatchesASummaryThatStopsAtForExample() {
        assertFalse(endsASentence("Render report.html from a resource's JSON (spec and status), e.g."));
        assertFalse(endsASentence("Where to write it"));
        assertTrue(endsASentence("Print the pbtnas version."));
        assertTrue(endsASentence("Default: standard output (or a file)."));
        assertTrue(endsASentence("Copies genome.json, metrics.json, etc."));
    }
}
