package io.pbtnas.core.space;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The genes of a search and its hyperparameters; contract JSON {"genes":[{"name","prefix","options"}]}
 * (plus "hyperparameters" when there are any, so a genes-only space reads as before).
 */
public record SearchSpace(
        @JsonPropertyDescription("The genes: each an architecture choice with its options and the tensor-name "
                + "prefix of the weights it owns. May be empty when hyperparameters are given (plain PBT).")
        List<Gene> genes,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Size(max = MAX_HYPERPARAMETERS) // bounds the CRD's CEL cost per entry
        @JsonPropertyDescription("Training hyperparameters explored beside the architecture, each with one prior: "
                + "{name: learningRate, logUniform: [1.0e-4, 1.0e-2]}, {name: weightDecay, uniform: [0, 1.0e-3]}, "
                + "{name: batchSize, choice: [32, 64, 128]}.")
        List<Hyperparameter> hyperparameters) {

    public static final int MAX_HYPERPARAMETERS = 32;

    public SearchSpace {
        genes = genes == null ? List.of() : List.copyOf(genes);
        hyperparameters = hyperparameters == null ? List.of() : List.copyOf(hyperparameters);
    }

    /** A space of genes only. */
    public SearchSpace(List<Gene> genes) {
        this(genes, null);
    }

    public static SearchSpace fromJson(String json) {
        SearchSpace s = Json.read(json, SearchSpace.class, "search space");
        s.validate();
        return s;
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Every problem, each naming the field path (under {@code path}) and what to fix; empty when valid. */
    public List<String> problems(String path) {
        List<String> out = new ArrayList<>();
        if (genes.isEmpty() && hyperparameters.isEmpty()) {
            out.add(path + ".genes: must list at least one gene, or give hyperparameters (plain PBT)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < genes.size(); i++) {
            Gene g = genes.get(i);
            String at = path + ".genes[" + i + "]";
            if (g == null) {
                out.add(at + ": must be a gene object {name, options}");
                continue;
            }
            if (g.name() == null || g.name().isBlank()) {
                out.add(at + ".name: required, a non-empty gene name");
            } else if (!names.add(g.name())) {
                out.add(at + ".name: duplicate gene name '" + g.name() + "'; gene names must be unique");
            }
            if (g.options().isEmpty()) {
                out.add(at + ".options: gene '" + g.name() + "' needs at least one option");
            }
            Set<String> opts = new HashSet<>();
            for (String o : g.options()) {
                if (o == null || o.isBlank()) {
                    out.add(at + ".options: gene '" + g.name() + "' has an empty option");
                } else if (!opts.add(o)) {
                    out.add(at + ".options: duplicate option '" + o + "' in gene '" + g.name() + "'");
                }
            }
            if (g.prefix() != null && g.prefix().startsWith(CheckpointMetadata.OPTIMIZER_PREFIX)) {
                out.add(at + ".prefix: '" + g.prefix() + "' is reserved for optimizer state; use the parameter prefix");
            }
        }
        for (int i = 0; i < genes.size(); i++) {
            for (int j = i + 1; j < genes.size(); j++) {
                Gene a = genes.get(i);
                Gene b = genes.get(j);
                if (a == null || b == null || a.prefix() == null || b.prefix() == null) {
                    continue;
                }
                if (a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix())) {
                    out.add(path + ".genes[" + j + "].prefix: '" + b.prefix() + "' of gene '" + b.name()
                            + "' overlaps prefix '" + a.prefix() + "' of gene '" + a.name()
                            + "'; every tensor must have one owner, so make the prefixes disjoint");
                }
            }
        }
        hyperparameterProblems(path, out);
        return out;
    }

    private void hyperparameterProblems(String path, List<String> out) {
        if (hyperparameters.size() > MAX_HYPERPARAMETERS) {
            out.add(path + ".hyperparameters: at most " + MAX_HYPERPARAMETERS + " entries, got "
                    + hyperparameters.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hyperparameters.size(); i++) {
            Hyperparameter h = hyperparameters.get(i);
            String at = path + ".hyperparameters[" + i + "]";
            if (h == null) {
                out.add(at + ": must be a hyperparameter object {name, logUniform | uniform | choice}");
                continue;
            }
            out.addAll(h.problems(at));
            if (h.name() == null || h.name().isBlank()) {
                continue;
            }
            if (!names.add(h.name())) {
                out.add(at + ".name: duplicate hyperparameter name '" + h.name() + "'; names must be unique");
            } else if (gene(h.name()).isPresent()) {
                out.add(at + ".name: '" + h.name() + "' is also a gene name; give the hyperparameter another name");
            }
        }
    }

    /** Throws IllegalArgumentException listing every problem. */
    public void validate() {
        List<String> p = problems("searchSpace");
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("invalid search space:\n  " + String.join("\n  ", p));
        }
    }

    public Optional<Gene> gene(String name) {
        return genes.stream().filter(g -> g != null && name.equals(g.name())).findFirst();
    }

    public List<String> geneNames() {
        return genes.stream().map(Gene::name).toList();
    }

    /**
     * The gene owning a tensor: the longest matching prefix. Optimizer state
     * {@code optimizer/<slot>/<p>} belongs to the owner of parameter {@code p}.
     */
    public Optional<Gene> ownerOf(String tensorName) {
        String param = CheckpointMetadata.parameterOf(tensorName);
        Gene best = null;
        for (Gene g : genes) {
            if (g.owns(param) && (best == null || g.prefix().length() > best.prefix().length())) {
                best = g;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A uniformly random genome. */
    public Genome random(RandomGenerator rng) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Gene g : genes) {
            c.put(g.name(), g.options().get(rng.nextInt(g.options().size())));
        }
        return new Genome(c);
    }

    /** Throws when the genome does not match this space exactly (missing, unknown genes or options). */
    public void check(Genome genome) {
        List<String> problems = new ArrayList<>();
        for (String gene : genome.choices().keySet()) {
            if (gene(gene).isEmpty()) {
                problems.add("gene '" + gene + "' is not in the search space " + geneNames());
            }
        }
        for (Gene g : genes) {
            String v = genome.choices().get(g.name());
            if (v == null) {
                problems.add("gene '" + g.name() + "' is missing from the genome");
            } else if (!g.options().contains(v)) {
                problems.add("option '" + v + "' is not one of " + g.options() + " for gene '" + g.name() + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("genome " + genome.toJson() + " does not match the search space: "
                    + String.join("; ", problems));
        }
    }

    /** The genome with its genes in this space's order (e.g. after parsing JSON with another order). */
    public Genome ordered(Genome genome) {
        check(genome);
        Map<String, String> c = new LinkedHashMap<>();
        for (Gene g : genes) {
            c.put(g.name(), genome.choices().get(g.name()));
        }
        return new Genome(c);
    }
}
