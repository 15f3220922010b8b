package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pbtnas.cli.validate.SchemaCheckerTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CEL rules: every rule of the committed CRD compiles, and rules evaluate where they are declared. */
class CelRulesTest {
    private static List<String> texts(List<Problem> ps) {
        return ps.stream().map(Problem::text).toList();
    }

    @Test
    void everyRuleOfThePackagedCrdCompilesInThisEnvironment() throws IOException {
        // Counted in the committed file itself, so a rule the packaging lost would show.
        String crd = Files.readString(Path.of("..", "crds", "pbtnas.io_pbtnassearches.yaml"));
        Matcher m = Pattern.compile("(?m)^\\s*(- )?rule: ").matcher(crd);
        int rules = 0;
        while (m.find()) {
            rules++;
        }
        assertTrue(rules >= 16, "the CRD declares its rules: " + rules);
        assertEquals(rules, new CelRules(Crd.packaged().openApiV3Schema()).size());
    }

    @Test
    void aRuleOnListItemsRunsForEachItemNamingItsIndex() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      items:
                        type: array
                        items:
                          type: object
                          properties: {lo: {type: number}, hi: {type: number}}
                          x-kubernetes-validations:
                          - {rule: 'self.lo < self.hi', message: 'lo must be below hi'}
                          - rule: 'self.hi <= 10'
                            messageExpression: "'hi is ' + string(self.hi) + ', at most 10'"
                            fieldPath: .hi
                """);
        CelRules rules = new CelRules(schema);
        List<Problem> p = rules.problems(yaml("{spec: {items: [{lo: 1, hi: 2}, {lo: 3, hi: 2}, {lo: 1, hi: 12}]}}"), null);
        assertEquals(List.of("spec.items[1]: lo must be below hi", "spec.items[2].hi: hi is 12.0, at most 10"), texts(p));
    }

    @Test
    void numbersAreTypedByTheSchemaAsTheApiServerDoes() throws IOException {
        // A number field written as 1 is a CEL double; comparing it with an int literal works across types.
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties: {f: {type: number}, n: {type: integer}}
                    x-kubernetes-validations:
                    - {rule: "type(self.f) == double && type(self.n) == int && self.f < 2 && self.n == 1.0", message: typed}
                """);
        assertEquals(List.of(), new CelRules(schema).problems(yaml("{spec: {f: 1, n: 1}}"), null));
    }

    @Test
    void transitionRulesRunOnlyForAnEdit() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties: {size: {type: integer}}
                    x-kubernetes-validations:
                    - {rule: 'self.size == oldSelf.size', message: 'spec.size is immutable'}
                """);
        CelRules rules = new CelRules(schema);
        JsonNode now = yaml("{spec: {size: 2}}");
        assertEquals(List.of(), rules.problems(now, null), "a create has no oldSelf");
        assertEquals(List.of(), rules.problems(now, yaml("{spec: {size: 2}}")));
        assertEquals(List.of("spec: spec.size is immutable"), texts(rules.problems(now, yaml("{spec: {size: 3}}"))));
        assertEquals(List.of(), rules.problems(now, yaml("{metadata: {name: x}}")), "no old value at that node");
    }

    @Test
    void theRootSeesOnlyNameAndGenerateNameOfMetadata() throws IOException {
        JsonNode schema = yaml("""
                type: object
                x-kubernetes-validations:
                - {rule: "self.metadata.name.startsWith('ok') && !has(self.metadata.labels)", message: "metadata.name: starts with ok"}
                """);
        CelRules rules = new CelRules(schema);
        assertEquals(List.of(), rules.problems(yaml("{metadata: {name: okay, labels: {a: b}}}"), null));
        assertEquals(List.of("metadata.name: starts with ok"), texts(rules.problems(yaml("{metadata: {name: nope}}"), null)));
    }

    @Test
    void kubernetesLibrariesEvaluate() throws IOException {
        // Standard macros, strings and sets as in Kubernetes, and the quantity check dev.cel lacks.
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      requests: {type: object, additionalProperties: {type: string}}
                      tags: {type: array, items: {type: string}}
                    x-kubernetes-validations:
                    - {rule: "self.requests.all(k, isQuantity(self.requests[k]))", message: "spec.requests: a quantity"}
                    - {rule: "self.tags.all(t, t.lowerAscii() == t) && sets.contains(['a', 'b', 'c'], self.tags)", message: "spec.tags: lower"}
                    - {rule: "cel.bind(n, size(self.tags), n <= 2)", message: "spec.tags: two at most"}
                """);
        CelRules rules = new CelRules(schema);
        assertEquals(List.of(), rules.problems(yaml("{spec: {requests: {cpu: 500m, memory: 4Gi}, tags: [a, b]}}"), null));
        assertEquals(List.of("spec: spec.requests: a quantity", "spec: spec.tags: lower", "spec: spec.tags: two at most"),
                texts(rules.problems(yaml("{spec: {requests: {memory: 4GB}, tags: [A, b, c]}}"), null)));
    }

    @Test
    void aRuleThatDoesNotCompileIsNamed() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - {rule: "self.url.isURL()", message: x}
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CelRules(schema));
        assertTrue(e.getMessage().contains("at spec") && e.getMessage().contains("self.url.isURL()"), e.getMessage());
    }

    @Test
    void anEvaluationErrorIsAProblemNamingTheRule() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties: {a: {type: integer}}
                    x-kubernetes-validations:
                    - {rule: "self.a > 0", message: x}
                """);
        List<Problem> p = new CelRules(schema).problems(yaml("{spec: {}}"), null);
        assertEquals(1, p.size());
        assertTrue(p.get(0).text().startsWith("spec: the rule 'self.a > 0' could not be evaluated"), p.get(0).text());
    }

    @Test
    void optionalOldSelfRunsOnACreateToo() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties: {size: {type: integer}}
                    x-kubernetes-validations:
                    - rule: "oldSelf.hasValue() ? self.size >= oldSelf.value().size : self.size <= 4"
                      optionalOldSelf: true
                      message: "spec.size: at most 4 at first, then never smaller"
                """);
        CelRules rules = new CelRules(schema);
        assertEquals(List.of(), rules.problems(yaml("{spec: {size: 3}}"), null));
        assertEquals(List.of("spec: spec.size: at most 4 at first, then never smaller"),
                texts(rules.problems(yaml("{spec: {size: 5}}"), null)));
        assertEquals(List.of(), rules.problems(yaml("{spec: {size: 6}}"), yaml("{spec: {size: 5}}")));
        assertEquals(1, rules.problems(yaml("{spec: {size: 4}}"), yaml("{spec: {size: 5}}")).size());
    }

    @Test
    void aListTypeMapMatchesOldItemsByKey() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      genes:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          properties: {name: {type: string}, size: {type: integer}}
                          x-kubernetes-validations:
                          - {rule: 'self.size == oldSelf.size', message: 'size is immutable'}
                """);
        CelRules rules = new CelRules(schema);
        JsonNode old = yaml("{spec: {genes: [{name: a, size: 1}, {name: b, size: 2}]}}");
        // Reordered and one added: each item is compared with the old item of its name, the new one with none.
        assertEquals(List.of(), rules.problems(yaml("{spec: {genes: [{name: b, size: 2}, {name: c, size: 9}, {name: a, size: 1}]}}"), old));
        assertEquals(List.of("spec.genes[1]: size is immutable"),
                texts(rules.problems(yaml("{spec: {genes: [{name: a, size: 1}, {name: b, size: 3}]}}"), old)));
    }
}
