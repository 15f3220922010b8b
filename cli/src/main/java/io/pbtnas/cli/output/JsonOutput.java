package io.pbtnas.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.cli.local.TrainerJob;
import io.pbtnas.cli.local.TrainerProgress;

import java.io.PrintStream;
import java.nio.file.Path;

/** One JSON object per line on stdout, each with an "event" field: for scripts. */
public final class JsonOutput implements RunListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    public JsonOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(String name, Path dir, int population, int generations, int parallel, int threads,
                        boolean resumed) {
        emit(JSON.createObjectNode().put("event", "started").put("search", name).put("dir", dir.toString())
                .put("population", population).put("generations", generations).put("parallel", parallel)
                .put("threads", threads).put("resumed", resumed));
    }

    @Override
    public void memberStarted(TrainerJob job) {
        emit(JSON.createObjectNode().put("event", "member-started").put("member", job.member())
                .put("generation", job.generation()).put("attempt", job.attempt()));
    }

    @Override
    public void progress(TrainerProgress p) {
        // Per-batch lines would drown a script; they stay in the member's log file.
    }

    @Override
    public void memberFinished(TrainerJob job, Double score, double seconds, String error) {
        ObjectNode n = JSON.createObjectNode().put("event", "member-finished").put("member", job.member())
                .put("generation", job.generation()).put("attempt", job.attempt()).put("seconds", seconds);
        if (score != null) {
            n.put("score", score);
        }
        if (error != null) {
            n.put("error", error);
        }
        emit(n);
    }

    @Override
    public void generationDone(GenerationSummary s) {
        ObjectNode n = JSON.valueToTree(s);
        emit(JSON.createObjectNode().put("event", "generation").setAll(n));
    }

    @Override
    public void finished(FinalSummary s) {
        ObjectNode n = JSON.valueToTree(s);
        emit(JSON.createObjectNode().put("event", "finished").setAll(n));
    }

    @Override
    public void failed(String message) {
        emit(JSON.createObjectNode().put("event", "failed").put("message", message));
    }

    @Override
    public void note(String message) {
        emit(JSON.createObjectNode().put("event", "note").put("message", message));
    }

    private synchronized void emit(ObjectNode n) {
        try {
            out.println(JSON.writeValueAsString(n));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
