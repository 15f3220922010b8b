package io.pbtnas.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.generator.annotation.ValidationRule;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.Strategy;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CEL rule on spec.population says what core's PopulationSplit says: the two must agree. */
class PopulationRuleTest {
    @Test
    void theCelMinimumPopulationOfEachStrategyIsPopulationSplits() {
        String rule = Arrays.stream(PbtNasSearch.class.getAnnotationsByType(ValidationRule.class))
                .map(ValidationRule::value).filter(v -> v.contains("self.spec.population >=")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("'random' \\? (\\d+) : \\(.*'mutation' \\? (\\d+) : (\\d+)\\)\\)").matcher(rule);
        assertTrue(m.find(), rule);
        assertEquals(PopulationSplit.minPopulation(Strategy.RANDOM), Integer.parseInt(m.group(1)), rule);
        assertEquals(PopulationSplit.minPopulation(Strategy.MUTATION), Integer.parseInt(m.group(2)), rule);
        assertEquals(PopulationSplit.minPopulation(Strategy.PBT_NAS), Integer.parseInt(m.group(3)), rule);
        // The smallest population that fits is the smallest the validator accepts (default fractions).
        for (Strategy s : Strategy.values()) {
            if (s.replaces()) {
                int n = PopulationSplit.minPopulation(s);
                assertTrue(PopulationSplit.of(n, 0.25, 0.25, PopulationSplit.minParents(s)).fits(n), s.code());
                assertTrue(!PopulationSplit.of(n - 1, 0.25, 0.25, PopulationSplit.minParents(s)).fits(n - 1), s.code());
            }
        }
    }
}
