package io.pbtnas.core.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pbtnas.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution a tensor was first drawn from, recorded by the trainer in {@code pbtnas.init}
 * so the mixer can draw fresh weights without the model code. Text form:
 * {@code normal(mean,std)} | {@code uniform(low,high)} | {@code constant(value)}.
 */
public sealed interface InitDistribution {

    /** One draw. */
    double sample(RandomGenerator rng);

    double mean();

    double variance();

    record Normal(double mean, double std) implements InitDistribution {
        public Normal {
            if (!(std >= 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("normal(mean,std) needs finite mean and std >= 0, got normal("
                        + mean + "," + std + ")");
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return mean + std * rng.nextGaussian();
        }

        @Override
        public double variance() {
            return std * std;
        }

        @Override
        public String toString() {
            return "normal(" + num(mean) + "," + num(std) + ")";
        }
    }

    record Uniform(double low, double high) implements InitDistribution {
        public Uniform {
            if (!(low <= high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("uniform(low,high) needs finite low <= high, got uniform("
                        + low + "," + high + ")");
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return low + (high - low) * rng.nextDouble();
        }

        @Override
        public double mean() {
            return (low + high) / 2;
        }

        @Override
        public double variance() {
            return (high - low) * (high - low) / 12;
        }

        @Override
        public String toString() {
            return "uniform(" + num(low) + "," + num(high) + ")";
        }
    }

    record Constant(double value) implements InitDistribution {
        public Constant {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("constant(value) needs a finite value, got " + value);
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return value;
        }

        @Override
        public double mean() {
            return value;
        }

        @Override
        public double variance() {
            return 0;
        }

        @Override
        public String toString() {
            return "constant(" + num(value) + ")";
        }
    }

    Pattern FORM = Pattern.compile("\\s*([a-z]+)\\s*\\(([^()]*)\\)\\s*");

    static InitDistribution parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("init distribution is missing; expected normal(mean,std), "
                    + "uniform(low,high) or constant(value)");
        }
        Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("init distribution '" + text + "' is not one of normal(mean,std), "
                    + "uniform(low,high), constant(value)");
        }
        String[] parts = m.group(2).split(",", -1);
        double[] a = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                a[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("init distribution '" + text + "': '" + parts[i].trim()
                        + "' is not a number");
            }
        }
        String kind = m.group(1);
        int arity = switch (kind) {
            case "normal", "uniform" -> 2;
            case "constant" -> 1;
            default -> throw new IllegalArgumentException("init distribution '" + text + "': unknown kind '" + kind
                    + "'; use normal(mean,std), uniform(low,high) or constant(value)");
        };
        if (a.length != arity) {
            throw new IllegalArgumentException("init distribution '" + text + "': " + kind + " takes " + arity
                    + " argument" + (arity == 1 ? "" : "s") + ", got " + a.length);
        }
        return switch (kind) {
            case "normal" -> new Normal(a[0], a[1]);
            case "uniform" -> new Uniform(a[0], a[1]);
            default -> new Constant(a[0]);
        };
    }

    /** Parses the {@code pbtnas.init} metadata value (JSON object tensor name → spec string). */
    static Map<String, InitDistribution> parseTable(String json) {
        Map<String, String> raw;
        try {
            raw = Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(CheckpointMetadata.INIT + ": expected a JSON object of tensor name "
                    + "to distribution string, e.g. {\"cell0.conv.weight\":\"normal(0,0.05)\"}: " + e.getMessage());
        }
        if (raw == null) {
            throw new IllegalArgumentException(CheckpointMetadata.INIT + ": expected a JSON object, got null");
        }
        Map<String, InitDistribution> out = new LinkedHashMap<>();
        raw.forEach((name, spec) -> {
            try {
                out.put(name, parse(spec));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(CheckpointMetadata.INIT + "['" + name + "']: " + e.getMessage());
            }
        });
        return out;
    }

    static String toJson(Map<String, InitDistribution> table) {
        Map<String, String> raw = new LinkedHashMap<>();
        table.forEach((k, v) -> raw.put(k, v.toString()));
        return Json.write(raw);
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
