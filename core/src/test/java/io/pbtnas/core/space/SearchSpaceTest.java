package io.pbtnas.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    static final String JSON = "{\"genes\":[{\"name\":\"cell0\",\"options\":[\"conv3x3\",\"skip\"]},"
            + "{\"name\":\"cell1\",\"prefix\":\"blocks.1.\",\"options\":[\"conv5x5\",\"maxpool\"]}]}";

    @Test
    void parsesTheContractJsonWithDefaultPrefixes() {
        SearchSpace s = SearchSpace.fromJson(JSON);
        assertEquals("cell0.", s.genes().get(0).prefix());
        assertEquals("blocks.1.", s.genes().get(1).prefix());
        assertEquals(s, SearchSpace.fromJson(s.toJson()));
        assertTrue(s.toJson().contains("\"prefix\":\"cell0.\""));
    }

    @Test
    void ownerIsTheLongestPrefixAndCoversOptimizerState() {
        SearchSpace s = SearchSpace.fromJson(JSON);
        assertEquals("cell0", s.ownerOf("cell0.conv.weight").orElseThrow().name());
        assertEquals("cell1", s.ownerOf("blocks.1.bn.bias").orElseThrow().name());
        assertEquals("cell0", s.ownerOf("optimizer/exp_avg/cell0.conv.weight").orElseThrow().name());
        assertEquals("cell1", s.ownerOf("optimizer/step/blocks.1.w").orElseThrow().name());
        assertEquals(Optional.empty(), s.ownerOf("head.weight"));
        assertEquals(Optional.empty(), s.ownerOf("cell00.weight"), "prefix 'cell0.' needs the dot");
    }

    @Test
    void validationListsEveryProblem() {
        SearchSpace bad = new SearchSpace(List.of(new Gene("a", "net.", List.of("x")), new Gene("a", List.of()),
                new Gene("b", "net.b.", List.of("y", "y"))));
        List<String> p = bad.problems("spec.searchSpace");
        assertTrue(p.contains("spec.searchSpace.genes[1].name: duplicate gene name 'a'; gene names must be unique"), p.toString());
        assertTrue(p.contains("spec.searchSpace.genes[1].options: gene 'a' needs at least one option"), p.toString());
        assertTrue(p.contains("spec.searchSpace.genes[2].options: duplicate option 'y' in gene 'b'"), p.toString());
        assertTrue(p.stream().anyMatch(m -> m.contains("'net.b.' of gene 'b' overlaps prefix 'net.' of gene 'a'")),
                p.toString());
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> SearchSpace.fromJson("{\"genes\":[{\"name\":\"a\",\"options\":[\"x\"],\"opts\":1}]}")).getMessage();
        assertTrue(unknown.contains("opts"), unknown);
    }

    @Test
    void genomesAreCheckedAgainstTheSpace() {
        SearchSpace s = SearchSpace.fromJson(JSON);
        Genome g = s.random(new SplittableRandom(3));
        s.check(g);
        assertEquals(List.of("cell0", "cell1"), List.copyOf(g.choices().keySet()));
        assertEquals(g, Genome.fromJson(g.toJson()));
        String unknownGene = assertThrows(IllegalArgumentException.class,
                () -> s.check(new Genome(Map.of("cell0", "skip", "cell1", "maxpool", "cell3", "x")))).getMessage();
        assertTrue(unknownGene.contains("gene 'cell3' is not in the search space"), unknownGene);
        String badOption = assertThrows(IllegalArgumentException.class,
                () -> s.check(g.with("cell0", "conv9x9"))).getMessage();
        assertTrue(badOption.contains("option 'conv9x9' is not one of [conv3x3, skip] for gene 'cell0'"), badOption);
        assertEquals("maxpool", g.with("cell1", "maxpool").get("cell1"));
    }
}
