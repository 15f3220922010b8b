package io.pbtnas.cli;

import io.pbtnas.cli.steps.MixStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pbtnas mix`: writes a replaced member's child checkpoint from a mix plan.
 * The operator runs it as the init container of a replaced member's pod.
 */
@Command(name = "mix", mixinStandardHelpOptions = true, description = {
    "Write a child checkpoint by shrink-perturb mixing, as described by a mix plan.",
    "Every value can also come from the environment: PBTNAS_ROOT, PBTNAS_MIX_PLAN, PBTNAS_SEARCH_SPACE.",
    "Idempotent: when the plan's output already exists and is readable, nothing is done.",
    "Exit codes: 0 done, 2 bad input (the message names the flag/field), 1 I/O failure."})
public final class MixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The search root; the plan's checkpoint paths are relative to it. Env: PBTNAS_ROOT.")
    String root;

    @Option(names = "--plan", paramLabel = "JSON",
            description = "The MixPlan as JSON (or @FILE). Env: PBTNAS_MIX_PLAN.")
    String plan;

    @Option(names = "--search-space", paramLabel = "JSON",
            description = "The search space {\"genes\":[...]} as JSON (or @FILE). Env: PBTNAS_SEARCH_SPACE.")
    String searchSpace;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            String rootValue = required(root, "--root", "PBTNAS_ROOT");
            String planJson = text(required(plan, "--plan", "PBTNAS_MIX_PLAN"), "--plan");
            String spaceJson = text(required(searchSpace, "--search-space", "PBTNAS_SEARCH_SPACE"), "--search-space");
            MixStep.Result r = MixStep.fromJson(Path.of(rootValue), planJson, spaceJson).run();
            out.println("pbtnas mix: " + (r.alreadyDone() ? "already done: " : "wrote ") + r.output());
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("pbtnas mix: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("pbtnas mix: I/O failure: " + e.getMessage());
            return Main.FAILURE;
        }
    }

    private static String required(String flag, String name, String env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + ": required (give " + name + " or set " + env + ")");
        }
        return v;
    }

    /** A value, or the contents of the file after '@'. */
    private static String text(String value, String name) throws IOException {
        if (!value.startsWith("@")) {
            return value;
        }
        Path p = Path.of(value.substring(1));
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(name + ": file " + p + " not found");
        }
        return Files.readString(p);
    }
}
