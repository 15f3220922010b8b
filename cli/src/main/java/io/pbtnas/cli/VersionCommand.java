package io.pbtnas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `pbtnas version`: the version of this build and of the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the pbtnas version.")
public final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public void run() {
        spec.commandLine().getOut().println("pbtnas " + version() + " (Java " + Runtime.version() + ")");
    }

    /** For `pbtnas --version`. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pbtnas " + version()};
        }
    }
}
