package io.pbtnas.cli.local;

import io.pbtnas.trainer.AllocatorLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a trainer process is started: the built-in DJL trainer in a child JVM on
 * this JVM's classpath, or any contract-honouring program given by the user.
 */
public record TrainerCommand(List<String> argv, boolean builtIn) {
    static final String BUILT_IN_MAIN = "io.pbtnas.trainer.TrainerMain";

    /**
     * Where a JVM's class-data sharing archive for this classpath is named (the trainer image's launcher,
     * pbtnas-java, sets it): the built-in trainer runs on this JVM's classpath, so that archive fits it too.
     */
    static final String SHARED_ARCHIVE = "pbtnas.trainer.sharedArchive";

    /**
     * The built-in trainer, wrapped in a watchdog that ends it if this process dies (even by SIGKILL), started
     * by the image's allocator launcher (jemalloc when installed; PBTNAS_ALLOCATOR=glibc opts out).
     */
    public static TrainerCommand builtIn(String javaOpts) {
        List<String> jvm = jvm(ProcessHandle.current().info().command().orElse("java"), System.getProperty(SHARED_ARCHIVE),
                javaOpts, System.getProperty("pbtnas.trainer.classpath", System.getProperty("java.class.path")));
        return new TrainerCommand(AllocatorLauncher.command(jvm), true);
    }

    /** The built-in trainer's JVM command line; the archive (null: none) goes before javaOpts, so theirs wins. */
    static List<String> jvm(String java, String sharedArchive, String javaOpts, String classpath) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        if (sharedArchive != null && !sharedArchive.isBlank()) {
            argv.add("-XX:SharedArchiveFile=" + sharedArchive);
        }
        for (String opt : javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                argv.add(opt);
            }
        }
        argv.add("-cp");
        argv.add(classpath);
        argv.add(ParentWatchdog.class.getName());
        argv.add(BUILT_IN_MAIN);
        return argv;
    }

    /**
     * A user's program, run by the shell so quoting and `python3 x.py` work. A simple command is
     * exec'd, so stop signals reach the program itself; a compound one (;, &&, |) runs as written.
     */
    public static TrainerCommand custom(String commandLine) {
        boolean simple = !commandLine.matches("(?s).*[;&|\\n`$()<>].*");
        return new TrainerCommand(List.of("/bin/sh", "-c", simple ? execed(commandLine) : commandLine), false);
    }

    /**
     * The command as the local driver starts it for a search step. A user's program waits, in its
     * shell, for one line on standard input, which the driver writes only once the process's pid file
     * is on disk: a driver killed in between leaves a shell that sees end of file and exits, never a
     * trainer that runs unrecorded (a resumed run ends the recorded ones). The built-in trainer needs
     * no gate: its watchdog ends it when the driver dies.
     */
    public List<String> gatedArgv() {
        if (builtIn) {
            return argv;
        }
        List<String> gated = new ArrayList<>(argv);
        gated.set(gated.size() - 1, "read _pbtnas_go || exit 143\n" + argv.get(argv.size() - 1));
        return List.copyOf(gated);
    }

    /** Leading assignments (VAR=x prog) go before exec: "exec VAR=x prog" would look for a program "VAR=x". */
    private static String execed(String commandLine) {
        Matcher m = ASSIGNMENTS.matcher(commandLine);
        int end = m.lookingAt() ? m.end() : 0;
        return commandLine.substring(0, end) + "exec " + commandLine.substring(end);
    }

    private static final Pattern ASSIGNMENTS =
            Pattern.compile("(\\s*[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|\"[^\"]*\"|[^\\s'\"])*\\s+)+");
}
