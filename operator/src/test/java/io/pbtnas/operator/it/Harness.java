package io.pbtnas.operator.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.operator.testing.ContractTrainer;
import io.pbtnas.testkit.PodRecorder;
import io.pbtnas.testkit.StatusRecorder;
import io.pbtnas.testkit.TestApiServer;
import io.pbtnas.testkit.kueue.TestKueue;
import io.pbtnas.testkit.kubelet.Launcher;
import io.pbtnas.testkit.kubelet.Launchers;
import io.pbtnas.testkit.kubelet.TestKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One namespace with its own test kubelet. Images it runs, as local processes on this JVM's test
 * classpath: {@code pbtnas/trainer:*} the real DJL trainer, {@code pbtnas/contract-trainer:*} the
 * fast contract-honouring {@link ContractTrainer}, {@code pbtnas/operator:*} the real {@code pbtnas}
 * command of module cli (the init container's {@code pbtnas mix}) or, for the cleanup pod, its shell.
 */
public final class Harness implements AutoCloseable {
    public static final String CLAIM = "checkpoints";

    public final KubernetesClient client;
    public final String namespace;
    public final TestKubelet kubelet;
    public final Path root;
    /** Every pod of the namespace as last seen, and the order pods appeared and went. */
    private final PodRecorder pods;

    public Harness(String testName) throws Exception {
        this(testName, 8);
    }

    /** As {@link #Harness(String)}, with a node of {@code gpus} {@code nvidia.com/gpu}. */
    public Harness(String testName, int gpus) throws Exception {
        this(testName, gpus, null);
    }

    /** As {@link #Harness(String, int)}, in a namespace {@code kueue} manages (null: a plain one). */
    public Harness(String testName, int gpus, TestKueue kueue) throws Exception {
        this.namespace = "t-" + testName + "-" + UUID.randomUUID().toString().substring(0, 6);
        this.client = TestApiServer.shared().newClient(namespace);
        if (kueue != null) {
            kueue.createManagedNamespace(namespace);
        } else {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        this.root = Files.createTempDirectory("pbtnas-operator-it-");
        this.pods = PodRecorder.ofNamespace(client, namespace);
        String cp = classpath();
        this.kubelet = TestKubelet.builder(client)
                .namespace(namespace)
                .root(root)
                .cpu("64").memory("256Gi").gpus(gpus)
                .maxGracePeriod(Duration.ofSeconds(2))
                .image("pbtnas/trainer:*", Launchers.entrypoint(
                        Launchers.java(cp, "io.pbtnas.trainer.TrainerMain", io.pbtnas.trainer.TrainerJvm.LOCAL_RUN.split(" "))))
                .image("pbtnas/contract-trainer:*", Launchers.entrypoint(
                        Launchers.java(cp, ContractTrainer.class.getName(), "-Xmx128m", "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1", "-Xshare:auto")))
                .image("pbtnas/operator:*", operatorImage(cp))
                .start();
    }

    /** The operator image: {@code pbtnas ...} is the cli; anything else (the cleanup's sh -c) runs as is. */
    private static Launcher operatorImage(String cp) {
        Launcher pbtnas = Launchers.entrypoint(Launchers.java(cp, "io.pbtnas.cli.Main", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        Launcher asIs = Launchers.asIs();
        return c -> !c.command().isEmpty() && c.command().get(0).equals("pbtnas") ? pbtnas.command(c) : asIs.command(c);
    }

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The search's directory on the (local stand-in of the) shared volume. */
    public Path searchRoot(PbtNasSearch search) {
        String uid = search.getMetadata().getUid();
        return kubelet.claimDir(namespace, CLAIM).resolve(namespace)
                .resolve(search.getMetadata().getName() + "-" + uid.substring(0, 8));
    }

    public PbtNasSearch create(String yaml) {
        PbtNasSearch search = client.resources(PbtNasSearch.class)
                .load(new java.io.ByteArrayInputStream(yaml.getBytes())).item();
        search.getMetadata().setNamespace(namespace);
        return client.resource(search).create();
    }

    /** With recording on (StatusRecorder), writes the search as the API server has it now. */
    public void record(String name, String caseName) {
        StatusRecorder.fetch(client, namespace, name, caseName);
    }

    public PbtNasSearch get(String name) {
        return client.resources(PbtNasSearch.class).inNamespace(namespace).withName(name).get();
    }

    public PbtNasSearch await(String name, Predicate<PbtNasSearch> condition, Duration timeout) {
        return client.resources(PbtNasSearch.class).inNamespace(namespace).withName(name)
                .waitUntilCondition(s -> s != null && condition.test(s), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public PbtNasSearch awaitPhase(String name, Phase phase, Duration timeout) {
        try {
            return await(name, s -> s.getStatus() != null && s.getStatus().phase() == phase, timeout);
        } catch (RuntimeException e) {
            PbtNasSearch s = get(name);
            throw new AssertionError("search " + name + " did not reach " + phase + " in " + timeout + "; status: "
                    + (s == null ? "gone" : Json.write(s.getStatus())) + "; pods: " + podSummary(name), e);
        }
    }

    public List<Pod> memberPods(String search) {
        return client.pods().inNamespace(namespace).withLabel(PodLabels.SEARCH, search)
                .withLabel(PodLabels.ROLE, PodLabels.ROLE_MEMBER).list().getItems();
    }

    /** Every member pod of the search ever seen, in its last seen state (deleted ones included), by name. */
    public List<Pod> seenMemberPods(String search) {
        return pods.withRole(search, PodLabels.ROLE_MEMBER);
    }

    /**
     * With the operator stopped: waits until every member pod of the search has ended (none is created
     * while no operator runs) and returns those that succeeded with a step the status has no score for,
     * the results the next operator must pick up itself.
     */
    public List<String> awaitStepsFinishedUnrecorded(String search, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pod> pods = memberPods(search);
        while (pods.stream().anyMatch(p -> p.getStatus() == null
                || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("member pods still running after " + timeout + ": " + podSummary(search));
            }
            Thread.sleep(100);
            pods = memberPods(search);
        }
        SearchStatus status = get(search).getStatus();
        return pods.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase())
                        && status.member(PodStart.member(p)).scoreAt(PodStart.step(p)).isEmpty())
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    /** The pod as last seen, also after it was deleted; null if never seen. */
    public Pod lastSeen(String name) {
        return pods.get(name);
    }

    /** Every pod state the namespace's watch delivered, in order (see {@link PodRecorder#versions()}). */
    public List<PodRecorder.Seen> podVersions() {
        return pods.versions();
    }

    /** "added NAME" and "deleted NAME", in the order the watch saw them. */
    public List<String> podHistory() {
        return pods.history();
    }

    public String podSummary(String search) {
        List<String> out = new ArrayList<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(PodLabels.SEARCH, search).list().getItems()) {
            out.add(p.getMetadata().getName() + "=" + (p.getStatus() == null ? "?" : p.getStatus().getPhase()));
        }
        return String.join(", ", out);
    }

    public List<String> eventReasons() {
        return client.v1().events().inNamespace(namespace).list().getItems().stream().map(e -> e.getReason()).toList();
    }

    public static String searchYaml(String name, String image, int population, int generations, String args,
            String extraSpec) {
        return """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: %s}
                spec:
                  population: %d
                  generations: %d
                  seed: 7
                  selection: {replaceFraction: 0.25, parentFraction: 0.25}
                  mixing: {layerSwapProbability: 0.5, shrink: 0.4, perturb: 0.1}
                  searchSpace:
                    genes:
                      - {name: cell0, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell1, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                  trainer:
                    image: %s
                    task: fashion-mnist
                    args: %s
                    resources: {requests: {cpu: "1"}}
                  storage: {persistentVolumeClaim: {claimName: %s}}
                %s""".formatted(name, population, generations, image, args, CLAIM, extraSpec);
    }

    @Override
    public void close() {
        pods.close();
        kubelet.close();
        try {
            client.namespaces().withName(namespace).delete();
        } catch (RuntimeException ignored) {
            // the API server goes away with the JVM anyway
        }
        client.close();
        deleteTree(root);
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort: a temp directory
        }
    }
}
