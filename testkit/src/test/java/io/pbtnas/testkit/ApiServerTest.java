package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness brings up a real API server: schema + CEL validation, status subresource, conflicts. */
@WithKubeApiServer
class ApiServerTest {

  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: ranges.testkit.pbtnas.io}
      spec:
        group: testkit.pbtnas.io
        scope: Namespaced
        names: {plural: ranges, singular: range, kind: Range}
        versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [min, max]
                    properties:
                      min: {type: integer, minimum: 0}
                      max: {type: integer}
                    x-kubernetes-validations:
                      - rule: "self.min <= self.max"
                        message: "spec.min must not exceed spec.max"
                  status:
                    type: object
                    properties:
                      phase: {type: string}
      """;

  private static final ResourceDefinitionContext RANGES = new ResourceDefinitionContext.Builder()
      .withGroup("testkit.pbtnas.io").withVersion("v1").withPlural("ranges").withKind("Range").withNamespaced(true)
      .build();

  @BeforeAll
  static void installCrd(TestApiServer server) {
    System.out.printf("kube-apiserver %s started in %d ms%n", server.environment().versions().kubernetesVersion(),
        server.startupTime().toMillis());
    try (KubernetesClient client = server.newClient()) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
    }
  }

  @Test
  void celRuleRejectsABadObjectWithTheServersMessage(KubernetesClient client) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.genericKubernetesResources(RANGES).resource(range("bad", 5, 1)).create());
    assertEquals(422, e.getCode());
    assertTrue(e.getMessage().contains("spec.min must not exceed spec.max"), e.getMessage());

    GenericKubernetesResource good = client.genericKubernetesResources(RANGES).resource(range("good", 1, 5)).create();
    assertEquals(5, ((Number) ((Map<?, ?>) good.getAdditionalProperties().get("spec")).get("max")).intValue());
  }

  @Test
  void openApiSchemaIsEnforcedToo(KubernetesClient client) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.genericKubernetesResources(RANGES).resource(range("negative", -1, 1)).create());
    assertEquals(422, e.getCode());
    assertTrue(e.getMessage().contains("spec.min"), e.getMessage());
  }

  @Test
  void statusSubresourceIgnoresStatusOnCreateAndStaleWritesConflict(KubernetesClient client) {
    GenericKubernetesResource r = range("r", 0, 1);
    r.setAdditionalProperty("status", Map.of("phase", "Done"));
    GenericKubernetesResource created = client.genericKubernetesResources(RANGES).resource(r).create();
    assertEquals(null, created.getAdditionalProperties().get("status"), "status must be dropped on create");

    created.setAdditionalProperty("status", Map.of("phase", "Running"));
    GenericKubernetesResource updated = client.genericKubernetesResources(RANGES).resource(created).updateStatus();
    assertEquals("Running", ((Map<?, ?>) updated.getAdditionalProperties().get("status")).get("phase"));

    // `created` still carries the old resourceVersion: a real server answers 409 Conflict
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.genericKubernetesResources(RANGES).resource(created).update());
    assertEquals(409, e.getCode());
  }

  @Test
  void eachTestHasItsOwnNamespace(TestNamespace ns, KubernetesClient client) {
    assertEquals(ns.name(), client.getNamespace());
    assertTrue(ns.name().startsWith("t-eachtesthasitsownnamespace-"), ns.name());
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata()
        .addToData("k", "v").build()).create();
    assertEquals(1, client.configMaps().list().getItems().stream()
        .filter(c -> c.getMetadata().getName().equals("c")).count());
  }

  private static GenericKubernetesResource range(String name, int min, int max) {
    return new GenericKubernetesResourceBuilder().withApiVersion("testkit.pbtnas.io/v1").withKind("Range")
        .withNewMetadata().withName(name).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("min", min, "max", max)))
        .build();
  }
}
