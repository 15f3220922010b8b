package io.pbtnas.cli.report;

import io.pbtnas.core.space.Hyperparameter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One rule for hyperparameter values: 3 significant digits, log-uniform ones in scientific notation. */
class HparamFormatTest {
    static final HparamFormat F = HparamFormat.of(List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
            Hyperparameter.uniform("weightDecay", 0, 1e-3), Hyperparameter.choice("batchSize", List.of(32, 64, 1024)),
            Hyperparameter.choice("dropout", List.of(0.1, 0.25)), Hyperparameter.uniform("warmup", 0, 5000)));

    @Test
    void logUniformValuesAreWrittenInScientificNotationWithThreeSignificantDigits() {
        assertTrue(F.logScale("learningRate"));
        assertEquals("3.16e-3", F.format("learningRate", 0.0031622776601683794));
        assertEquals("1e-3", F.format("learningRate", 0.001));
        assertEquals("1.2e-3", F.format("learningRate", 0.0012000000000000001));
        assertEquals("1e-2", F.format("learningRate", 0.00999999));
        assertEquals("5.66e-2", F.format("learningRate", 0.05659));
    }

    @Test
    void otherValuesArePlainWithThreeSignificantDigitsAndIntegersStayWhole() {
        assertFalse(F.logScale("weightDecay"));
        assertEquals("0.000437", F.format("weightDecay", 0.00043712));
        assertEquals("0", F.format("weightDecay", 0.0));
        assertEquals("1.23e-5", F.format("weightDecay", 0.0000123456), "plain would be long");
        assertEquals("64", F.format("batchSize", 64));
        assertEquals("1024", F.format("batchSize", 1024), "integers as they are, not 3 digits");
        assertEquals("0.25", F.format("dropout", 0.25));
        assertEquals("1230", F.format("warmup", 1234.5));
        assertEquals("2", F.format("warmup", 2.0));
        assertEquals("1.5e6", HparamFormat.number(1.5e6, false));
        assertEquals("-3.16e-3", HparamFormat.number(-0.0031622, true));
    }

    @Test
    void missingValuesAndTheOrderOfTheSpec() {
        assertEquals(List.of("learningRate", "weightDecay", "batchSize", "dropout", "warmup"), F.names());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("batchSize", 32);
        values.put("learningRate", 2.5e-4);
        assertEquals(List.of("2.5e-4", "–", "32", "–", "–"), F.formatAll(values));
        assertEquals(HparamFormat.MISSING, F.format("learningRate", null));
        assertSame(HparamFormat.NONE, HparamFormat.of(null));
        assertSame(HparamFormat.NONE, HparamFormat.of(List.of()));
        assertTrue(HparamFormat.NONE.isEmpty());
        assertEquals(List.of(), HparamFormat.NONE.formatAll(values));
    }
}
