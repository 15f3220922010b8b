package io.pbtnas.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitDistributionTest {
    @Test
    void parsesAndPrintsTheContractForms() {
        assertEquals(new InitDistribution.Normal(0, 0.05), InitDistribution.parse("normal(0,0.05)"));
        assertEquals(new InitDistribution.Uniform(-0.1, 0.1), InitDistribution.parse(" uniform( -0.1 , 0.1 ) "));
        assertEquals(new InitDistribution.Constant(1), InitDistribution.parse("constant(1)"));
        for (String s : new String[] {"normal(0,0.05)", "uniform(-0.1,0.1)", "constant(1)", "normal(0.5,1.0E-5)"}) {
            assertEquals(InitDistribution.parse(s), InitDistribution.parse(InitDistribution.parse(s).toString()));
        }
        assertEquals("normal(0,0.05)", new InitDistribution.Normal(0, 0.05).toString());
    }

    @Test
    void rejectsBadSpecsClearly() {
        assertTrue(msg("gamma(1,2)").contains("unknown kind 'gamma'"));
        assertTrue(msg("normal(0)").contains("normal takes 2 arguments, got 1"));
        assertTrue(msg("normal(0,x)").contains("'x' is not a number"));
        assertTrue(msg("normal(0,-1)").contains("std >= 0"));
        assertTrue(msg("uniform(1,0)").contains("low <= high"));
        assertTrue(msg("xavier").contains("is not one of normal(mean,std)"));
    }

    @Test
    void tableRoundTripsAndNamesTheBadEntry() {
        Map<String, InitDistribution> t = new LinkedHashMap<>();
        t.put("cell0.conv.weight", new InitDistribution.Normal(0, 0.05));
        t.put("cell0.bn.weight", new InitDistribution.Constant(1));
        assertEquals(t, InitDistribution.parseTable(InitDistribution.toJson(t)));
        String m = assertThrows(IllegalArgumentException.class,
                () -> InitDistribution.parseTable("{\"w\":\"normal(1)\"}")).getMessage();
        assertTrue(m.contains("pbtnas.init['w']"), m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InitDistribution.parseTable("[1]"))
                .getMessage().contains("expected a JSON object"));
    }

    private static String msg(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> InitDistribution.parse(spec)).getMessage();
    }
}
