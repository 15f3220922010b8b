package io.pbtnas.trainer.model;

import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BadInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in network for a genome, as a list of layers (pure: no tensors). A stem, then one position
 * per gene in up to three stages of widths w, 2w, 4w (a stride-2 reduction between stages: 28, 14, 7
 * pixels), then global pooling and a linear classifier. Gene g's op owns exactly the tensors
 * {@code <g.prefix><op>.*}, so swapping a gene's tensors for a donor's swaps in the donor's op whole.
 */
public record NetworkPlan(Genome genome, int width, List<Layer> layers) {
    public static final int CLASSES = 10;
    public static final int IMAGE_CHANNELS = 1;
    public static final int MAX_STAGES = 3;
    public static final String STEM = "stem.";
    public static final String HEAD = "head.";

    public NetworkPlan {
        layers = List.copyOf(layers);
    }

    /** Builds the plan; the genome must already match the space ({@link SearchSpace#check}). */
    public static NetworkPlan of(SearchSpace space, Genome genome, int width) {
        if (width < 1 || width > 1024) {
            throw new BadInputException("taskArgs.width: " + width + " is out of range; use 1..1024 (default 16)");
        }
        checkSpace(space);
        List<Gene> genes = space.genes();
        int positions = genes.size();
        int stages = Math.min(MAX_STAGES, positions);
        List<Layer> layers = new ArrayList<>();
        layers.add(new ConvBnRelu(STEM, IMAGE_CHANNELS, width, 3, 1, 1));
        int stage = 0;
        int channels = width;
        for (int i = 0; i < positions; i++) {
            int s = stageOf(i, positions, stages);
            if (s != stage) {
                stage = s;
                layers.add(new ConvBnRelu(reductionPrefix(s), channels, channels * 2, 3, 2, 1));
                channels *= 2;
            }
            Gene gene = genes.get(i);
            Op op = Op.byId(genome.get(gene.name())).orElseThrow();
            layers.add(positionLayer(op, gene.prefix() + op.id() + ".", channels));
        }
        layers.add(new Classifier(HEAD, channels, CLASSES));
        return new NetworkPlan(genome, width, layers);
    }

    /**
     * Rejects spaces this trainer cannot build: unknown op names (anywhere, so a later mix cannot pick one)
     * and gene prefixes that would claim the shared stem, reduction or head tensors.
     */
    public static void checkSpace(SearchSpace space) {
        List<String> problems = new ArrayList<>();
        Set<String> shared = new HashSet<>(List.of(STEM, HEAD, reductionPrefix(1), reductionPrefix(2)));
        for (int i = 0; i < space.genes().size(); i++) {
            Gene g = space.genes().get(i);
            for (String option : g.options()) {
                if (Op.byId(option).isEmpty()) {
                    problems.add("searchSpace.genes[" + i + "].options: unknown op '" + option + "' in gene '"
                            + g.name() + "'; this trainer knows " + Op.ids());
                }
            }
            for (String s : shared) {
                if (g.prefix().startsWith(s) || s.startsWith(g.prefix())) {
                    problems.add("searchSpace.genes[" + i + "].prefix: '" + g.prefix() + "' of gene '" + g.name()
                            + "' overlaps the shared layer prefix '" + s + "'; rename the gene or give it another "
                            + "prefix (the shared prefixes are " + shared + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("the search space does not fit the built-in network:\n  "
                    + String.join("\n  ", problems));
        }
    }

    static int stageOf(int position, int positions, int stages) {
        return position * stages / positions;
    }

    static String reductionPrefix(int stage) {
        return "reduce" + stage + ".";
    }

    private static Layer positionLayer(Op op, String prefix, int channels) {
        return switch (op) {
            case CONV3X3 -> new ConvBnRelu(prefix, channels, channels, 3, 1, 1);
            case CONV5X5 -> new ConvBnRelu(prefix, channels, channels, 5, 1, 1);
            case DILCONV3X3 -> new ConvBnRelu(prefix, channels, channels, 3, 1, 2);
            case SEPCONV3X3 -> new SepConvBnRelu(prefix, channels);
            case MAXPOOL -> new PoolConvBnRelu(prefix, channels);
            case SKIP -> new Identity();
        };
    }

    /** Every tensor of the network, in forward order. */
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        layers.forEach(l -> out.addAll(l.params()));
        return out;
    }
}
