package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI schema checks, one keyword at a time, on small schemas written here. */
class SchemaCheckerTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String SCHEMA = """
            type: object
            required: [count]
            properties:
              count: {type: integer, minimum: 1, maximum: 10}
              ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true}
              mode: {type: string, enum: [fast, slow]}
              name: {type: string, minLength: 2, maxLength: 5, pattern: '^[a-z]+$'}
              tags: {type: array, minItems: 1, maxItems: 2, items: {type: string}}
              labels: {type: object, additionalProperties: {type: string}, maxProperties: 2}
              args: {x-kubernetes-preserve-unknown-fields: true}
              size: {anyOf: [{type: integer}, {type: string}], x-kubernetes-int-or-string: true}
              note: {type: string, nullable: true}
              inner:
                type: object
                required: [key]
                properties:
                  key: {type: string}
            """;

    static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }

    private static SchemaChecker.Result check(String value) throws IOException {
        return SchemaChecker.check(yaml(SCHEMA), yaml(value), "spec", Set.of());
    }

    private static List<String> texts(SchemaChecker.Result r) {
        return r.problems().stream().map(Problem::text).toList();
    }

    @Test
    void aValueWithinEveryKeywordPasses() throws IOException {
        SchemaChecker.Result r = check("""
                {count: 3, ratio: 0.5, mode: fast, name: abc, tags: [a], labels: {a/b: x}, args: {any: [1, {deep: true}]},
                 size: 4Gi, note: null, inner: {key: k}}
                """);
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.unknownFields());
        assertFalse(r.blocksRules());
        assertEquals(List.of(), check("{count: 3, size: 7}").problems(), "int-or-string takes an integer");
    }

    @Test
    void boundsNameTheFieldAndDoNotBlockTheRules() throws IOException {
        SchemaChecker.Result r = check("{count: 0, ratio: 1}");
        assertEquals(List.of("spec.count: must be greater than or equal to 1, got 0",
                "spec.ratio: must be less than 1, got 1"), texts(r));
        assertFalse(r.blocksRules(), "the API server still evaluates CEL after a bound");
        assertEquals(List.of("spec.ratio: must be greater than 0, got 0"), texts(check("{count: 1, ratio: 0}")));
        assertEquals(List.of("spec.count: must be less than or equal to 10, got 11"), texts(check("{count: 11}")));
    }

    @Test
    void typesEnumsRequiredAndTooManyBlockTheRules() throws IOException {
        SchemaChecker.Result type = check("{count: three}");
        assertEquals(List.of("spec.count: must be an integer, got the string 'three'"), texts(type));
        assertTrue(type.blocksRules());
        assertEquals(List.of("spec.count: must be an integer, got the number 2.5"), texts(check("{count: 2.5}")));
        assertEquals(List.of(), texts(check("{count: 2.0}")), "JSON has one number type: 2.0 is whole");
        SchemaChecker.Result e = check("{count: 1, mode: medium}");
        assertEquals(List.of("spec.mode: 'medium' is not supported; use one of: fast, slow"), texts(e));
        assertTrue(e.blocksRules());
        SchemaChecker.Result req = check("{inner: {}}");
        assertEquals(List.of("spec.inner.key: Required value; add it", "spec.count: Required value; add it"), texts(req));
        assertTrue(req.blocksRules());
        SchemaChecker.Result many = check("{count: 1, tags: [a, b, c]}");
        assertEquals(List.of("spec.tags: must have at most 2 items, got 3"), texts(many));
        assertTrue(many.blocksRules());
        assertEquals(List.of("spec.size: must be an integer or a string, got true"), texts(check("{count: 1, size: true}")));
    }

    @Test
    void stringsListsAndMaps() throws IOException {
        assertEquals(List.of("spec.name: must be at least 2 characters long, got 1"), texts(check("{count: 1, name: a}")));
        assertEquals(List.of("spec.name: may not be longer than 5 characters, got 6"), texts(check("{count: 1, name: abcdef}")));
        assertEquals(List.of("spec.name: 'ab1' does not match the pattern '^[a-z]+$'"), texts(check("{count: 1, name: ab1}")));
        assertEquals(List.of("spec.tags: must have at least 1 item, got 0"), texts(check("{count: 1, tags: []}")));
        assertEquals(List.of("spec.tags[1]: must be a string, got the number 5"), texts(check("{count: 1, tags: [a, 5]}")));
        assertEquals(List.of("spec.labels[team]: must be a string, got the number 1"), texts(check("{count: 1, labels: {team: 1}}")));
        assertEquals(List.of("spec.labels: must have at most 2 entries, got 3"),
                texts(check("{count: 1, labels: {a: x, b: y, c: z}}")));
    }

    @Test
    void unknownFieldsAreRefusedExceptWhereTheSchemaKeepsThem() throws IOException {
        SchemaChecker.Result r = check("{count: 1, cuont: 2, inner: {key: k, kee: x}, args: {free: 1}}");
        assertEquals(List.of("spec.cuont", "spec.inner.kee"), r.unknownFields().stream().map(Problem::path).toList());
        assertTrue(r.unknownFields().get(1).message().contains("known here: key"), r.unknownFields().get(1).message());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void aNullIsPrunedUnlessTheFieldIsNullable() throws IOException {
        // count: null is dropped by the API server before validation, so it is missing.
        assertEquals(List.of("spec.count: Required value; add it"), texts(check("{count: null}")));
        assertEquals(List.of(), texts(check("{count: 1, mode: null, note: null}")));
        assertTrue(SchemaChecker.pruned(yaml("{type: string}"), yaml("null")));
        assertFalse(SchemaChecker.pruned(yaml("{type: string, nullable: true}"), yaml("null")));
    }

    @Test
    void fieldsTheApiServerAddsAtTheRootAreAllowed() throws IOException {
        SchemaChecker.Result r = SchemaChecker.check(yaml("{type: object, properties: {spec: {type: object}}}"),
                yaml("{apiVersion: v1, kind: K, metadata: {name: n}, spec: {}, extra: 1}"), "", Set.of("apiVersion", "kind", "metadata"));
        assertEquals(List.of("extra"), r.unknownFields().stream().map(Problem::path).toList());
    }

    @Test
    void listTypesSetAndMapRefuseDuplicates() throws IOException {
        JsonNode schema = yaml("""
                type: object
                properties:
                  tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                  genes:
                    type: array
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [name]
                    items: {type: object, properties: {name: {type: string}, size: {type: integer}}}
                """);
        SchemaChecker.Result r = SchemaChecker.check(schema,
                yaml("{tags: [a, b, a], genes: [{name: x, size: 1}, {name: y, size: 1}, {name: x, size: 2}]}"), "spec", Set.of());
        assertEquals(List.of("spec.tags[2]: Duplicate value: \"a\"; each item may appear once",
                "spec.genes[2]: Duplicate value: {\"name\":\"x\"}; each item's [name] may appear once"), texts(r));
    }
}
