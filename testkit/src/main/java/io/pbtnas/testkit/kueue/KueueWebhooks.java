package io.pbtnas.testkit.kueue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import java.util.List;

/**
 * Kueue's own webhook configurations (its module's config/components/webhook/manifests.yaml), made
 * fit for a process on this machine: only the webhooks its enabled frameworks serve (a registered
 * webhook nobody serves fails every matching request), each called by URL with our CA instead of
 * through a Service, and the pod and Job webhooks limited to managed namespaces so a stopped Kueue
 * never blocks other tests' pods. Pure: no API calls.
 */
public final class KueueWebhooks {

  static final String PREFIX = "pbtnas-test-kueue-";

  private KueueWebhooks() {
  }

  public static MutatingWebhookConfiguration mutating(MutatingWebhookConfiguration from, KueueSettings settings, String caBundle) {
    List<MutatingWebhook> kept = from.getWebhooks().stream().filter(w -> served(w.getRules())).map(w -> {
      w.setClientConfig(byUrl(w.getClientConfig(), settings, caBundle));
      if (namespaced(w.getRules())) {
        w.setNamespaceSelector(managedNamespaces());
      }
      return w;
    }).toList();
    return new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(PREFIX + from.getMetadata().getName())
        .endMetadata().withWebhooks(kept).build();
  }

  public static ValidatingWebhookConfiguration validating(ValidatingWebhookConfiguration from, KueueSettings settings,
      String caBundle) {
    List<ValidatingWebhook> kept = from.getWebhooks().stream().filter(w -> served(w.getRules())).map(w -> {
      w.setClientConfig(byUrl(w.getClientConfig(), settings, caBundle));
      if (namespaced(w.getRules())) {
        w.setNamespaceSelector(managedNamespaces());
      }
      return w;
    }).toList();
    return new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(PREFIX + from.getMetadata().getName())
        .endMetadata().withWebhooks(kept).build();
  }

  /** Kueue's own kinds, pods (framework "pod") and batch Jobs (framework "batch/job"). */
  static boolean served(List<RuleWithOperations> rules) {
    return rules.stream().allMatch(r -> r.getApiGroups().stream().allMatch(g -> switch (g) {
      case "kueue.x-k8s.io" -> true;
      case "" -> r.getResources().equals(List.of("pods"));
      case "batch" -> r.getResources().equals(List.of("jobs"));
      default -> false;
    }));
  }

  private static boolean namespaced(List<RuleWithOperations> rules) {
    return rules.stream().anyMatch(r -> !r.getApiGroups().contains("kueue.x-k8s.io"));
  }

  private static LabelSelector managedNamespaces() {
    return new LabelSelectorBuilder().addToMatchLabels(KueueSettings.MANAGED_LABEL, KueueSettings.MANAGED_VALUE).build();
  }

  private static WebhookClientConfig byUrl(WebhookClientConfig from, KueueSettings settings, String caBundle) {
    if (from.getService() == null || from.getService().getPath() == null) {
      throw new IllegalArgumentException("a Kueue webhook without clientConfig.service.path: " + from);
    }
    return new WebhookClientConfigBuilder().withUrl(settings.webhookUrl(from.getService().getPath()))
        .withCaBundle(caBundle).build();
  }
}
