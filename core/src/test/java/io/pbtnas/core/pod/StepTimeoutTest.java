package io.pbtnas.core.pod;

import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchSpecTest;
import io.pbtnas.core.validation.SpecValidator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StepTimeoutTest {

    @Test
    void hoursMinutesAndSecondsBecomeSeconds() {
        assertEquals(OptionalLong.of(1800), StepTimeout.seconds("30m"));
        assertEquals(OptionalLong.of(7200), StepTimeout.seconds("2h"));
        assertEquals(OptionalLong.of(5445), StepTimeout.seconds("1h30m45s"));
        assertEquals(OptionalLong.of(90), StepTimeout.seconds("90s"));
        assertEquals(OptionalLong.empty(), StepTimeout.seconds(null));
    }

    @Test
    void aMalformedOrZeroTimeoutIsRejectedNamingTheFieldAndTheForm() throws Exception {
        for (String bad : List.of("30", "abc", "0m", "-5m", "1d", "m", "99999999999999999999h")) {
            String spec = SearchSpecTest.SPEC.replace("task: fashion-mnist", "task: fashion-mnist\n  stepTimeout: '"
                    + bad + "'");
            List<String> p = SpecValidator.problems(SearchSpecTest.YAML.readValue(spec, SearchSpec.class));
            assertEquals(1, p.size(), bad + ": " + p);
            assertTrue(p.get(0).startsWith("spec.trainer.stepTimeout: '" + bad + "'") && p.get(0).contains("'30m'"),
                    p.get(0));
        }
        String ok = SearchSpecTest.SPEC.replace("task: fashion-mnist", "task: fashion-mnist\n  stepTimeout: 45m");
        assertEquals(List.of(), SpecValidator.problems(SearchSpecTest.YAML.readValue(ok, SearchSpec.class)));
    }
}
