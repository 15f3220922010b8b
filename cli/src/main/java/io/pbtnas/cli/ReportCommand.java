package io.pbtnas.cli;

import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.core.layout.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pbtnas report`: the HTML report of a search on a cluster, from the resource as the API server has
 * it ({@code kubectl get pbtnassearch NAME -o json | pbtnas report -f -}), at any time during the search.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
    "Render report.html from a PbtNasSearch resource's JSON (spec and status), at any time during the search.",
    "From a cluster, for example:",
    "  kubectl get pbtnassearch NAME -o json | pbtnas report -f - -o report.html",
    "Exit codes: 0 written, 2 bad input."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The resource as JSON (kubectl get ... -o json); - reads standard input.")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the HTML (written to a temporary name, then renamed). Default: standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        var err = command.commandLine().getErr();
        String text;
        try {
            text = "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println("pbtnas report: -f " + file + ": file not found");
            return Main.BAD_INPUT;
        }
        String html;
        try {
            html = render(text);
        } catch (IllegalArgumentException e) {
            err.println("pbtnas report: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (output == null) {
            command.commandLine().getOut().print(html);
            command.commandLine().getOut().flush();
        } else {
            AtomicFiles.writeString(output, html);
            err.println("pbtnas report: wrote " + output);
        }
        return Main.OK;
    }

    /** The report of one resource's JSON; a message naming the field when it is not a PbtNasSearch. */
    static String render(String resourceJson) {
        SearchResource r = SearchResource.parse(resourceJson);
        return HtmlReport.render(StatusView.report(r.name(), r.spec(), r.status()));
    }
}
