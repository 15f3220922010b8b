package io.pbtnas.testkit.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

  private final EnvResolver resolver = new EnvResolver(new EnvResolver.Lookup() {
    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
      return name.equals("cfg") ? Optional.of(Map.of("lr", "0.001")) : Optional.empty();
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
      return Optional.empty();
    }
  });

  @Test
  void expandsDefinedVariablesKeepsUndefinedAndUnescapesDollar() {
    Map<String, String> vars = Map.of("A", "1", "B", "two");
    assertEquals("1-two", EnvResolver.expand("$(A)-$(B)", vars));
    assertEquals("$(C) $(A) $x", EnvResolver.expand("$(C) $$(A) $x", vars));
    assertEquals("$(unclosed", EnvResolver.expand("$(unclosed", vars));
  }

  @Test
  void resolvesSourcesInOrderWithExpansionAgainstEarlierVariables() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-1")
        .addToLabels("member", "3").endMetadata().withNewSpec().endSpec().build();
    Container c = new ContainerBuilder().withName("main")
        .addNewEnv().withName("NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("MEMBER").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.labels['member']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("OUT").withValue("/data/$(NAME)/$(MEMBER)/$(LATER)").endEnv()
        .addNewEnv().withName("LR").withNewValueFrom().withNewConfigMapKeyRef("lr", "cfg", false).endValueFrom().endEnv()
        .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
        .withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("LATER").withValue("x").endEnv()
        .withNewResources().addToLimits("cpu", new Quantity("1500m")).endResources()
        .build();

    Map<String, String> env = resolver.resolve(pod, c, "node-1", "127.0.0.1");
    assertEquals("p", env.get("NAME"));
    assertEquals("/data/p/3/$(LATER)", env.get("OUT"));
    assertEquals("0.001", env.get("LR"));
    assertEquals("1500", env.get("CPU"));
  }

  @Test
  void missingReferenceNamesTheVariableAndTheFix() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().build();
    Container c = new ContainerBuilder().withName("main")
        .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("t", "creds", false).endValueFrom().endEnv()
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve(pod, c, "n", "127.0.0.1"));
    assertTrue(e.getMessage().contains("env TOKEN") && e.getMessage().contains("Secret creds")
        && e.getMessage().contains("optional"), e.getMessage());
  }
}
