package io.pbtnas.cli;

import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.S3Location;

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
    "-f and -o may be s3://bucket/key locations (standard AWS environment: AWS_ENDPOINT_URL, AWS_REGION, "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE); the report replaces an earlier one at that key.",
    "Exit codes: 0 written, 1 the bucket failed, 2 bad input."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The resource as JSON (kubectl get ... -o json); - reads standard input.")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the HTML (written to a temporary name, then renamed; or s3://bucket/key). "
                    + "Default: standard output.")
    String output;

    @Override
    public Integer call() throws IOException {
        var err = command.commandLine().getErr();
        try (LazyS3 s3 = new LazyS3()) {
            return report(s3, err);
        } catch (IllegalArgumentException e) {
            err.println("pbtnas report: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            if (!S3Location.isS3(file) && !(output != null && S3Location.isS3(output))) {
                throw e;
            }
            err.println("pbtnas report: " + e.getMessage());
            return Main.FAILURE;
        }
    }

    private int report(LazyS3 s3, java.io.PrintWriter err) throws IOException {
        String text;
        try {
            text = "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : S3Location.isS3(file) ? s3.get().readString(S3Location.parse(file))
                    : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println("pbtnas report: -f " + file + ": " + (S3Location.isS3(file) ? "no such object" : "file not found"));
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
        } else if (S3Location.isS3(output)) {
            S3Location target = S3Location.parse(output);
            Path temp = Files.createTempFile("pbtnas-report-", ".html");
            try {
                Files.writeString(temp, html, StandardCharsets.UTF_8);
                s3.get().putReplacing(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            err.println("pbtnas report: wrote " + target);
        } else {
            AtomicFiles.writeString(Path.of(output), html);
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
