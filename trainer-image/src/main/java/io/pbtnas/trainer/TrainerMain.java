package io.pbtnas.trainer;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The trainer's command line: the contract of trainer-image/README.md. */
public final class TrainerMain {
    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs once and returns the exit code (0 ok, 1 training failed, 2 bad input); never exits the JVM. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Console console = new Console(out, err);
        try {
            if (ConfigReader.wantsHelp(args)) {
                out.print(Usage.TEXT);
                return ExitCode.OK;
            }
            if (args.length == 1 && args[0].equals("--engine-info")) {
                EngineSetup.start(Runtime.getRuntime().availableProcessors());
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("engine", ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
                info.put("threads", EngineSetup.threads());
                // Which malloc the launcher left us on (image/pbtnas-with-allocator), and what it preloaded.
                info.put("allocator", NativeAllocator.active().name().toLowerCase(Locale.ROOT));
                if (env.get("LD_PRELOAD") != null) {
                    info.put("ldPreload", env.get("LD_PRELOAD"));
                }
                console.event("engine", info);
                return ExitCode.OK;
            }
            new TrainerRun(ConfigReader.read(args, env), console).execute();
            return ExitCode.OK;
        } catch (BadInputException e) {
            return fail(console, ExitCode.BAD_INPUT, "bad input: " + e.getMessage());
        } catch (TrainingFailedException e) {
            return fail(console, ExitCode.TRAINING_FAILED, "training failed: " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | UnsatisfiedLinkError e) {
            e.printStackTrace(err);
            return fail(console, ExitCode.TRAINING_FAILED, "training failed: " + e);
        }
    }

    private static int fail(Console console, int code, String message) {
        console.error(message);
        console.event("error", Map.of("exitCode", code, "message", message));
        return code;
    }
}
