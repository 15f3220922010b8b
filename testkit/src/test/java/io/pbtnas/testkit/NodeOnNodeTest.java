package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real node: it registers and is Ready, runs pods from imported images, and its control plane works. */
@WithRealNode
class NodeOnNodeTest {

  /** Our trainer image (hack/build-images.sh), under the name the examples use; Debian-based, so it has sh. */
  static final String TRAINER_IMAGE = "pbtnas/trainer:0.1.0";
  /** test-env/test-images.sh: static busybox, with a wget that speaks TLS. */
  static final String PROBE_IMAGE = "pbtnas-test/busybox:1";
  static final Duration POD_TIMEOUT = Duration.ofSeconds(120);

  @Test
  void nodeRegistersAndIsReady(KubernetesClient client, RealNode node) {
    List<Node> nodes = client.nodes().list().getItems();
    assertEquals(List.of(node.nodeName()), nodes.stream().map(n -> n.getMetadata().getName()).toList());
    Node n = nodes.get(0);
    assertEquals("True", n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .map(NodeCondition::getStatus).findFirst().orElse("missing"), () -> "Ready condition of " + n.getStatus());
    assertTrue(n.getStatus().getAddresses().stream()
        .anyMatch(a -> a.getType().equals("InternalIP") && a.getAddress().equals(node.nodeIp())),
        () -> "node addresses " + n.getStatus().getAddresses() + " lack InternalIP " + node.nodeIp());
    assertEquals("v" + VersionPins.packaged().kubernetesVersion(), n.getStatus().getNodeInfo().getKubeletVersion());
    assertTrue(n.getStatus().getNodeInfo().getContainerRuntimeVersion().startsWith("containerd://2."),
        n.getStatus().getNodeInfo().getContainerRuntimeVersion());
  }

  @Test
  void podRunsToSucceededAndReportsItsTerminationMessage(KubernetesClient client) {
    String image = shellImage(client);
    Pod pod = new PodBuilder().withNewMetadata().withName("hello").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("main").withImage(image).withImagePullPolicy("Never")
        .withCommand("sh", "-c", "echo \"hello from $(hostname)\" > /dev/termination-log")
        .endContainer().endSpec().build();
    long t0 = System.nanoTime();
    client.pods().resource(pod).create();
    Pod done = waitForTerminalPhase(client, "hello");
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    System.out.printf("[node] pod (%s) created -> Succeeded in %d ms%n", image, ms);
    assertEquals("Succeeded", done.getStatus().getPhase(), () -> describe(client, done));
    ContainerStateTerminated terminated = done.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertEquals(0, terminated.getExitCode());
    // the container's hostname is the pod's name: it ran in the pod's own UTS namespace
    assertEquals("hello from hello\n", terminated.getMessage());
  }

  @Test
  void garbageCollectorDeletesAPodWhoseOwnerIsDeleted(KubernetesClient client) {
    ConfigMap owner = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("owner")
        .endMetadata().build()).create();
    Pod pod = new PodBuilder().withNewMetadata().withName("owned")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
        .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata()
        .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("main").withImage(shellImage(client)).withImagePullPolicy("Never")
        .withCommand("sleep", "3600").endContainer().endSpec().build();
    client.pods().resource(pod).create();
    client.pods().withName("owned").waitUntilCondition(
        p -> p != null && "Running".equals(p.getStatus().getPhase()), POD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    client.configMaps().withName("owner").delete();
    try {
      client.pods().withName("owned").waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      fail("the pod owned by a deleted ConfigMap still exists after 60 s: the controller-manager's garbage"
          + " collector did not delete it\n" + describe(client, client.pods().withName("owned").get()));
    }
  }

  @Test
  void podReachesTheApiServerWithItsServiceAccountToken(KubernetesClient client, TestNamespace ns) {
    String secret = UUID.randomUUID().toString();
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("target").endMetadata()
        .withData(Map.of("value", secret)).build()).create();
    client.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("read-target").endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames("target").withVerbs("get")
        .endRule().build()).create();
    client.rbac().roleBindings().resource(new RoleBindingBuilder().withNewMetadata().withName("read-target")
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
        .withName("read-target").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("default").withNamespace(ns.name()).endSubject()
        .build()).create();
    String script = "set -e; body=$(wget -q -O - --no-check-certificate"
        + " --header \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\""
        + " \"https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/" + ns.name()
        + "/configmaps/target\"); printf 'host=%s\\n%s' \"$KUBERNETES_SERVICE_HOST\" \"$body\" > /dev/termination-log";
    client.pods().resource(new PodBuilder().withNewMetadata().withName("caller").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("main").withImage(PROBE_IMAGE).withImagePullPolicy("Never")
        .withCommand("sh", "-c", script).withTerminationMessagePolicy("FallbackToLogsOnError")
        .endContainer().endSpec().build()).create();
    Pod done = waitForTerminalPhase(client, "caller");
    assertEquals("Succeeded", done.getStatus().getPhase(), () -> describe(client, done));
    String message = done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage();
    // through the kubernetes Service's cluster IP (kube-proxy's rules), authenticated by the pod's token
    assertTrue(message.startsWith("host=10.96.0.1\n"), message);
    assertTrue(message.contains(secret), message);
  }

  /** Our trainer image when it was imported, else the probe image; fails when neither is on the node. */
  static String shellImage(KubernetesClient client) {
    List<String> names = client.nodes().list().getItems().stream()
        .flatMap(n -> n.getStatus().getImages().stream()).filter(i -> i.getNames() != null)
        .flatMap(i -> i.getNames().stream()).toList();
    if (names.contains("docker.io/" + TRAINER_IMAGE)) {
      return TRAINER_IMAGE;
    }
    if (names.contains("docker.io/" + PROBE_IMAGE)) {
      return PROBE_IMAGE;
    }
    return fail("the node has neither " + TRAINER_IMAGE + " (hack/build-images.sh) nor " + PROBE_IMAGE
        + " (test-env/test-images.sh, made by node.sh up); it has " + names);
  }

  static Pod waitForTerminalPhase(KubernetesClient client, String name) {
    try {
      return client.pods().withName(name).waitUntilCondition(
          p -> p != null && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
          POD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      return fail("pod " + name + " did not finish within " + POD_TIMEOUT.toSeconds() + " s\n"
          + describe(client, client.pods().withName(name).get()));
    }
  }

  static String describe(KubernetesClient client, Pod pod) {
    if (pod == null) {
      return "(pod gone)";
    }
    String events = client.v1().events().inNamespace(pod.getMetadata().getNamespace()).list().getItems().stream()
        .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).collect(Collectors.joining("\n  "));
    return "status: " + pod.getStatus() + "\nevents:\n  " + events;
  }
}
