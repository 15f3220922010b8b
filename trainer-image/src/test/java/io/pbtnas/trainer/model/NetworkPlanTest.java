package io.pbtnas.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BadInputException;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.TestSupport;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkPlanTest {
    private final SearchSpace space = BuiltinSearchSpace.fashionMnist(6);

    @Test
    void builtinSpaceHasSixOpsPerPosition() {
        assertEquals(6, space.genes().size());
        for (Gene g : space.genes()) {
            assertEquals(Op.ids(), g.options());
            assertEquals(g.name() + ".", g.prefix());
        }
        assertTrue(Op.ids().size() >= 5);
    }

    @Test
    void everyTensorIsOwnedByItsGenesOpOrIsShared() {
        NetworkPlan plan = NetworkPlan.of(space, space.ordered(TestSupport.MIXED), 8);
        Set<String> names = new HashSet<>();
        for (ParamSpec p : plan.params()) {
            assertTrue(names.add(p.name()), "duplicate tensor " + p.name());
            var owner = space.ownerOf(p.name());
            if (owner.isPresent()) {
                String op = TestSupport.MIXED.get(owner.get().name());
                assertTrue(p.name().startsWith(owner.get().prefix() + op + "."), p.name());
            } else {
                assertTrue(p.name().matches("(stem|reduce[12]|head)\\..*"), "unowned tensor " + p.name());
            }
        }
        // the skip position owns nothing; BatchNorm statistics are non-trainable tensors
        assertTrue(names.stream().noneMatch(n -> n.startsWith("cell4.")));
        assertTrue(names.contains("cell0.sepconv3x3.depthwise.weight"));
        ParamSpec rv = plan.params().stream().filter(p -> p.name().equals("stem.bn.running_var")).findFirst().orElseThrow();
        assertEquals(new InitDistribution.Constant(1), rv.init());
        assertTrue(!rv.trainable());
    }

    @Test
    void stagesDoubleTheWidthTwiceForSixPositions() {
        NetworkPlan plan = NetworkPlan.of(space, BuiltinSearchSpace.defaultGenome(6), 8);
        assertShape(plan, "cell0.conv3x3.conv.weight", 8, 8, 3, 3);
        assertShape(plan, "reduce1.conv.weight", 16, 8, 3, 3);
        assertShape(plan, "cell3.conv3x3.conv.weight", 16, 16, 3, 3);
        assertShape(plan, "reduce2.conv.weight", 32, 16, 3, 3);
        assertShape(plan, "cell5.conv3x3.conv.weight", 32, 32, 3, 3);
        assertShape(plan, "head.fc.weight", 10, 32);
        NetworkPlan one = NetworkPlan.of(BuiltinSearchSpace.fashionMnist(1), BuiltinSearchSpace.defaultGenome(1), 8);
        assertTrue(one.params().stream().noneMatch(p -> p.name().startsWith("reduce")));
    }

    @Test
    void aDonorsGeneBringsExactlyTheDonorsTensors() {
        Genome parent = BuiltinSearchSpace.defaultGenome(6);
        Genome donor = parent.with("cell2", "sepconv3x3");
        Genome child = parent.with("cell2", donor.get("cell2"));
        List<String> donorTensors = underPrefix(NetworkPlan.of(space, donor, 8), "cell2.");
        assertEquals(donorTensors, underPrefix(NetworkPlan.of(space, child, 8), "cell2."));
        assertTrue(!donorTensors.equals(underPrefix(NetworkPlan.of(space, parent, 8), "cell2.")));
    }

    @Test
    void unknownOpsAndClashingPrefixesAreRejected() {
        SearchSpace unknown = new SearchSpace(List.of(new Gene("cell0", List.of("conv3x3", "conv7x7"))));
        BadInputException e = assertThrows(BadInputException.class, () -> NetworkPlan.checkSpace(unknown));
        assertTrue(e.getMessage().contains("unknown op 'conv7x7'") && e.getMessage().contains("cell0"), e.getMessage());
        SearchSpace clash = new SearchSpace(List.of(new Gene("stem", List.of("conv3x3"))));
        e = assertThrows(BadInputException.class, () -> NetworkPlan.checkSpace(clash));
        assertTrue(e.getMessage().contains("shared layer prefix 'stem.'"), e.getMessage());
    }

    @Test
    void initialValuesDependOnlyOnSeedAndName() {
        ParamSpec p = new ParamSpec("cell0.conv3x3.conv.weight", new long[] {8, 8, 3, 3},
                new InitDistribution.Normal(0, 0.5), true);
        float[] a = WeightInit.draw(p, 5);
        assertTrue(Arrays.equals(a, WeightInit.draw(p, 5)));
        assertTrue(!Arrays.equals(a, WeightInit.draw(p, 6)));
        double sum = 0;
        double sq = 0;
        for (float v : a) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / a.length;
        double std = Math.sqrt(sq / a.length - mean * mean);
        assertEquals(0, mean, 0.1);
        assertEquals(0.5, std, 0.1);
    }

    private static List<String> underPrefix(NetworkPlan plan, String prefix) {
        return plan.params().stream().map(ParamSpec::name).filter(n -> n.startsWith(prefix)).toList();
    }

    private static void assertShape(NetworkPlan plan, String name, long... shape) {
        ParamSpec p = plan.params().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tensor " + name));
        assertTrue(Arrays.equals(shape, p.shape()), name + " is " + Arrays.toString(p.shape()));
    }
}
