package io.pbtnas.cli;

import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `pbtnas report -f`: the report of a search on a cluster, from its resource's JSON. */
class ReportCommandTest {
    static String resource(String status) {
        return "{\"apiVersion\":\"pbtnas.io/v1alpha1\",\"kind\":\"PbtNasSearch\",\"metadata\":{\"name\":\"fm\","
                + "\"namespace\":\"ns\",\"uid\":\"u\"},\"spec\":" + Json.write(ReportTest.spec(null))
                + (status == null ? "" : ",\"status\":" + status) + "}";
    }

    @Test
    void rendersTheReportOfAResourceWithItsHyperparameters(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("fm.json");
        Files.writeString(in, resource(Json.write(HyperparameterReportTest.withHparams())));
        Path out = tmp.resolve("report.html");
        Cli.Result r = Cli.run("report", "-f", in.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out);
        assertTrue(html.contains("<code>fm</code>"), "named after the resource");
        assertTrue(html.contains("id=\"hparam-learningRate\""), "the hyperparameter plots");
        assertEquals(4, EndToEndTest.count(html, "class=\"member-row"), "every member in the table");
    }

    @Test
    void aSearchWithoutAStatusYetStillRenders(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("new.json");
        Files.writeString(in, resource(null));
        Cli.Result r = Cli.run("report", "-f", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No scores yet"), r.out());
    }

    @Test
    void somethingElseIsBadInputNamingTheField(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("pod.json");
        Files.writeString(in, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
        Cli.Result r = Cli.run("report", "-f", in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("kind: expected a PbtNasSearch resource"), r.err());
        Files.writeString(in, "{\"kind\":\"PbtNasSearch\",\"status\":{}}");
        Cli.Result noSpec = Cli.run("report", "-f", in.toString());
        assertEquals(2, noSpec.code());
        assertTrue(noSpec.err().contains("spec: missing"), noSpec.err());
    }
}
