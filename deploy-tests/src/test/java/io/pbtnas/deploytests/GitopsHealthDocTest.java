package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/gitops.md shows the health checks HealthChecksTest runs, exactly: one source, docs/health. */
class GitopsHealthDocTest {
    static final Path DOC = RepoPaths.root().resolve("docs/gitops.md");
    static final String ARGOCD_CM_KEY = "resource.customizations.health.pbtnas.io_PbtNasSearch";

    /** The text between the marker comment that starts with {@code begin} (its whole line) and {@code end}. */
    static String between(String doc, String begin, String end) {
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end, Math.max(b, 0));
        assertTrue(b >= 0 && e > b, "docs/gitops.md must hold a block between '" + begin + "...' and '" + end + "'");
        return doc.substring(doc.indexOf('\n', b) + 1, e);
    }

    @Test
    void theArgoCdCheckIsTheLuaFile() {
        String doc = ServerSideApply.read(DOC);
        String lua = ServerSideApply.read(HealthChecksTest.LUA);
        assertEquals("```lua\n" + lua + "```\n", between(doc, "<!-- docs/health/pbtnassearch.lua:",
                "<!-- end of docs/health/pbtnassearch.lua -->"),
                "docs/gitops.md's Lua block must be exactly docs/health/pbtnassearch.lua");
    }

    @Test
    void theArgoCdConfigMapHoldsTheLuaFile() {
        String doc = ServerSideApply.read(DOC);
        String block = between(doc, "<!-- argocd-cm:", "<!-- end of argocd-cm -->");
        assertTrue(block.startsWith("```yaml\n") && block.endsWith("```\n"), block);
        JsonNode cm = Manifests.parse(block.substring("```yaml\n".length(), block.length() - "```\n".length())).get(0);
        assertEquals("argocd-cm", cm.path("metadata").path("name").asText());
        assertEquals(ServerSideApply.read(HealthChecksTest.LUA), cm.path("data").path(ARGOCD_CM_KEY).asText(),
                "the argocd-cm block's " + ARGOCD_CM_KEY + " must be docs/health/pbtnassearch.lua");
    }

    @Test
    void theFluxChecksAreTheYamlFile() {
        String doc = ServerSideApply.read(DOC);
        assertEquals("```yaml\n" + ServerSideApply.read(HealthChecksTest.FLUX) + "```\n",
                between(doc, "<!-- docs/health/pbtnassearch-flux.yaml:", "<!-- end of docs/health/pbtnassearch-flux.yaml -->"),
                "docs/gitops.md's Flux block must be exactly docs/health/pbtnassearch-flux.yaml");
    }
}
