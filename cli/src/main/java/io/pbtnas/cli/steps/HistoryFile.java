package io.pbtnas.cli.steps;

import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * history.json on the volume: the lineage (who replaced whom, with which genes, from which parents), scores,
 * the checkpoint that counted for each member and generation,
 * each member's hyperparameter values per step and, for the asynchronous schedule, the arrival log.
 */
public final class HistoryFile {
    /** The key of member → generation → the checkpoint that counted. */
    public static final String CHECKPOINTS = "checkpoints";
    private HistoryFile() {
    }

    public static Map<String, Object> content(String searchName, SearchStatus status) {
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Object> scores = new LinkedHashMap<>();
        for (MemberStatus m : status.members().stream().sorted(Comparator.comparingInt(MemberStatus::id)).toList()) {
            scores.put(Integer.toString(m.id()), m.scores());
            for (LineageEntry e : m.lineage()) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("generation", e.generation());
                ev.put("member", m.id());
                ev.put("kind", e.kind());
                ev.put("parent", e.parent());
                ev.put("donor", e.donor());
                ev.put("swappedGenes", e.swappedGenes());
                ev.put("resampledGenes", e.resampledGenes());
                ev.put("shrink", e.shrink());
                ev.put("perturb", e.perturb());
                ev.put("seed", e.seed());
                ev.values().removeIf(v -> v == null);
                events.add(ev);
            }
        }
        events.sort(Comparator.comparingInt((Map<String, Object> e) -> (Integer) e.get("generation"))
                .thenComparingInt(e -> (Integer) e.get("member")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("search", searchName);
        out.put("generation", status.generation());
        out.put("phase", status.phase());
        out.put("lineage", events);
        out.put("scores", scores);
        Map<String, Object> hparams = new LinkedHashMap<>();
        for (MemberStatus m : status.members().stream().sorted(Comparator.comparingInt(MemberStatus::id)).toList()) {
            if (!m.hparams().isEmpty()) {
                hparams.put(Integer.toString(m.id()), m.hparams());
            }
        }
        if (!hparams.isEmpty()) {
            // Member → the values of each step it trained: the PBT policy log.
            out.put("hparams", hparams);
        }
        if (!status.arrivals().isEmpty()) {
            out.put("arrivals", status.arrivals()); // asynchronous: results in the order applied, with verdicts
        }
        Map<String, Object> checkpoints = new LinkedHashMap<>();
        for (MemberStatus m : status.members().stream().sorted(Comparator.comparingInt(MemberStatus::id)).toList()) {
            Map<String, String> byGeneration = new LinkedHashMap<>();
            for (int g = 0; g < m.stepsDone(); g++) {
                int gen = g;
                m.checkpointAt(g).ifPresent(c -> byGeneration.put(Integer.toString(gen), c));
            }
            checkpoints.put(Integer.toString(m.id()), byGeneration);
        }
        // Member → generation → the checkpoint that counted (its attempt's folder): what eval and mixes use.
        out.put(CHECKPOINTS, checkpoints);
        if (status.best() != null) {
            out.put("best", status.best());
        }
        return out;
    }

    public static void write(CheckpointLayout layout, String searchName, SearchStatus status) throws IOException {
        AtomicFiles.writeString(layout.history(), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(content(searchName, status)) + "\n");
    }
}
