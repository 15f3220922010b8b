package io.pbtnas.operator.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl (built by test-env) against a kubeconfig, as a user runs it. */
final class Kubectl {
    record Result(int exit, String output) {
    }

    private Kubectl() {
    }

    /** Runs kubectl in {@code namespace} unless args name one; stdout and stderr together. */
    static Result run(Path kubectl, Path kubeconfig, String namespace, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        if (!List.of(args).contains("-n")) {
            command.addAll(List.of("-n", namespace));
        }
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
