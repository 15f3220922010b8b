package io.pbtnas.testkit.kueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KueueWebhooksTest {

  private static MutatingWebhook hook(String name, String group, String resource, String path) {
    return new MutatingWebhookBuilder().withName(name).withAdmissionReviewVersions("v1").withSideEffects("None")
        .withNewClientConfig().withNewService().withName("webhook-service").withNamespace("system").withPath(path)
        .endService().endClientConfig()
        .addNewRule().withApiGroups(group).withApiVersions("v1").withOperations("CREATE").withResources(resource).endRule()
        .build();
  }

  @Test
  void keepsOnlyWhatTheEnabledFrameworksServeCalledByUrlAndPodsOnlyInManagedNamespaces() {
    MutatingWebhookConfiguration from = new MutatingWebhookConfigurationBuilder().withNewMetadata()
        .withName("mutating-webhook-configuration").endMetadata().withWebhooks(
            hook("mpod.kb.io", "", "pods", "/mutate--v1-pod"),
            hook("mjob.kb.io", "batch", "jobs", "/mutate-batch-v1-job"),
            hook("mdeployment.kb.io", "apps", "deployments", "/mutate-apps-v1-deployment"),
            hook("mclusterqueue.kb.io", "kueue.x-k8s.io", "clusterqueues", "/mutate-kueue-x-k8s-io-v1beta2-clusterqueue"))
        .build();
    KueueSettings settings = new KueueSettings("kueue-system", 9443, 8081, Path.of("/certs"));

    MutatingWebhookConfiguration ours = KueueWebhooks.mutating(from, settings, "Q0E=");

    assertEquals("pbtnas-test-kueue-mutating-webhook-configuration", ours.getMetadata().getName());
    assertEquals(List.of("mpod.kb.io", "mjob.kb.io", "mclusterqueue.kb.io"),
        ours.getWebhooks().stream().map(MutatingWebhook::getName).toList());
    MutatingWebhook pod = ours.getWebhooks().get(0);
    assertEquals("https://127.0.0.1:9443/mutate--v1-pod", pod.getClientConfig().getUrl());
    assertNull(pod.getClientConfig().getService());
    assertEquals("Q0E=", pod.getClientConfig().getCaBundle());
    assertEquals(Map.of(KueueSettings.MANAGED_LABEL, KueueSettings.MANAGED_VALUE), pod.getNamespaceSelector().getMatchLabels());
    assertNull(ours.getWebhooks().get(2).getNamespaceSelector(), "Kueue's own kinds are cluster-wide");
  }
}
