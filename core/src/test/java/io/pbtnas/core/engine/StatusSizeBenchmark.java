package io.pbtnas.core.engine;

import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.Strategy;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import java.util.List;

/**
 * How big the status (the CR's .status, the local status.json) gets: bytes of JSON at the end of a
 * search, per population and generations, with and without hyperparameters. It bounds spec.population:
 * the Kubernetes API server stores an object of at most about 1.5 MiB (etcd's request limit), and
 * the local mode rewrites status.json and report.html after every member's result.
 * Run: {@code ./mvnw -pl core -am test-compile} then this class's main on the test classpath.
 */
public final class StatusSizeBenchmark {
    private StatusSizeBenchmark() {
    }

    public static void main(String[] args) {
        List<String> ops = List.of("conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip");
        SearchSpace plain = new SearchSpace(List.of(new Gene("cell0", ops), new Gene("cell1", ops),
                new Gene("cell2", ops), new Gene("cell3", ops)));
        SearchSpace withHparams = new SearchSpace(plain.genes(), List.of(
                new Hyperparameter("learningRate", List.of(1e-4, 1e-2), null, null),
                new Hyperparameter("weightDecay", null, List.of(0.0, 1e-3), null)));
        System.out.println("population generations hyperparameters statusBytes bytesPerMemberStep");
        for (SearchSpace space : List.of(plain, withHparams)) {
            for (int population : List.of(64, 256, 1024)) {
                for (int generations : List.of(1, 10, 50)) {
                    SearchSpec spec = new SearchSpec(Strategy.PBT_NAS, population, generations, 1, null, 1L, null,
                            null, space, null, null, null, null);
                    Simulation sim = new Simulation().run(spec, Simulation::succeed);
                    int bytes = Json.write(sim.status).length();
                    System.out.printf("%d %d %b %d %.0f%n", population, generations, space == withHparams, bytes,
                            bytes / (double) (population * generations));
                }
            }
        }
    }
}
