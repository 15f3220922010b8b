package io.pbtnas.cli;

import io.pbtnas.cli.steps.BestExport;
import io.pbtnas.cli.local.LocalSearch;
import io.pbtnas.cli.local.MachineDefaults;
import io.pbtnas.cli.local.SearchRecord;
import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.cli.local.WorkDir;
import io.pbtnas.cli.manifest.Manifest;
import io.pbtnas.cli.manifest.ManifestException;
import io.pbtnas.cli.manifest.ManifestReader;
import io.pbtnas.cli.output.HumanOutput;
import io.pbtnas.cli.output.JsonOutput;
import io.pbtnas.cli.output.QuietOutput;
import io.pbtnas.cli.output.RunListener;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.validation.TrainerPodRules;
import io.pbtnas.trainer.TrainerJvm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `pbtnas run -f FILE`: the whole search on this machine, resumable. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Run a PbtNasSearch locally: members train as local trainer processes, mixing happens in-process, and all "
        + "state lives in the work directory.",
    "The manifest is the same file you would 'kubectl apply'; fields that only matter on a cluster "
        + "(trainer.image, imagePullPolicy, command, resources, nodeSelector, tolerations, serviceAccountName, "
        + "imagePullSecrets, labels, annotations, priorityClassName, affinity, volumes, volumeMounts, storage except "
        + "storage.keepGenerations) are accepted and ignored here. trainer.envValueFrom variables come from this "
        + "command's own environment (it reads no Secrets): a missing one that is not optional is an error.",
    "Resumable: stop it any way you like (Ctrl-C, kill -9, power loss) and run the same command again; it "
        + "continues where it stopped and ends with the same result.",
    "Exit codes: 0 done, 1 search failed or I/O error, 2 bad manifest or flags, 130 interrupted."})
public final class RunCommand implements Callable<Integer> {
    enum Output { human, json, quiet }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The PbtNasSearch manifest (YAML); '-' reads standard input.")
    String file;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Work directory (state, checkpoints, report), always a local folder, also for a manifest "
                    + "whose storage is an S3 bucket (upload it afterwards with 'pbtnas export --root s3://...' if you "
                    + "like). Default: ./pbtnas-work/<metadata.name>.")
    Path dir;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Most trainers at once. Default: one per core, within memory and the population.")
    Integer parallel;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compute threads per trainer (unless trainer.args.threads is set). Default: cores / parallel.")
    Integer threads;

    @Option(names = "--trainer-command", paramLabel = "CMD",
            description = "Run this contract-honouring program instead of the built-in trainer, e.g. "
                    + "'python3 my_trainer.py' (run by /bin/sh; inputs in PBTNAS_* environment variables).")
    String trainerCommand;

    @Option(names = "--trainer-java-opts", paramLabel = "OPTS", defaultValue = TrainerJvm.LOCAL_RUN,
            description = "JVM options of each built-in trainer process. Default: ${DEFAULT-VALUE}.")
    String trainerJavaOpts;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "human",
            description = "human (default): lines per member and generation, a live progress line on a terminal, "
                    + "a final table; json: one JSON event per line; quiet: only 'SCORE BEST_DIR' at the end.")
    Output output;

    @Option(names = {"-q", "--quiet"}, description = "Same as --output quiet.")
    boolean quiet;

    @Option(names = "--json", description = "Same as --output json.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Manifest manifest;
        try {
            manifest = new ManifestReader().read(file, System.in);
        } catch (ManifestException e) {
            err.println("pbtnas run: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        SearchSpec given = ManifestReader.effectiveSpec(manifest);
        if (given.suspended()) {
            // A suspended search creates no new steps on a cluster; here that is nothing to run.
            err.println("pbtnas run: spec.suspend is true, so the search is suspended and nothing would run; "
                    + "set spec.suspend to false (or remove it) to run it");
            return Main.BAD_INPUT;
        }
        // A variable from a Secret or ConfigMap on a cluster comes from this process's environment here.
        List<String> local = TrainerPodRules.localProblems(given.trainer(), System.getenv(), "spec.trainer");
        if (!local.isEmpty()) {
            err.println("pbtnas run: " + String.join("\n  ", local));
            return Main.BAD_INPUT;
        }
        int n = given.population();
        int par = parallel != null ? parallel
                : Math.min(MachineDefaults.parallel(n), manifest.spec().parallelism() == null ? n
                : manifest.spec().parallelism());
        if (par < 1) {
            err.println("pbtnas run: --parallel: must be >= 1, got " + par);
            return Main.BAD_INPUT;
        }
        if (threads != null && threads < 1) {
            err.println("pbtnas run: --threads: must be >= 1, got " + threads);
            return Main.BAD_INPUT;
        }
        int thr = threads != null ? threads : MachineDefaults.threads(par);
        SearchSpec spec = given.withParallelism(par);
        WorkDir work = new WorkDir(dir != null ? dir : Path.of("pbtnas-work", manifest.name()));
        TrainerCommand trainer = trainerCommand != null && !trainerCommand.isBlank()
                ? TrainerCommand.custom(trainerCommand) : TrainerCommand.builtIn(trainerJavaOpts);
        Map<String, Object> args = spec.trainer() == null || spec.trainer().args() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(spec.trainer().args());
        String task = spec.trainer() == null ? null : spec.trainer().task();
        RunListener listener = switch (quiet ? Output.quiet : json ? Output.json : output) {
            case human -> new HumanOutput(out, err, System.console() != null);
            case json -> new JsonOutput(out);
            case quiet -> new QuietOutput(out);
        };
        try (AutoCloseable lock = work.lock()) {
            SearchRecord.checkOrWrite(work, manifest.name(), spec);
            LocalSearch search = new LocalSearch(new LocalSearch.Settings(manifest.name(), spec, work, par, thr,
                    trainer, new BestExport.TaskSettings(task, args)), listener);
            if (Main.standalone) {
                Interrupts.onInterrupt(search::requestStop);
            }
            return search.run();
        } catch (IllegalArgumentException e) {
            err.println("pbtnas run: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IllegalStateException e) {
            err.println("pbtnas run: " + e.getMessage());
            return Main.FAILURE;
        } catch (IOException e) {
            err.println("pbtnas run: I/O failure: " + e.getMessage());
            return Main.FAILURE;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            err.println("pbtnas run: " + e);
            return Main.FAILURE;
        }
    }
}
