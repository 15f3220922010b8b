package io.pbtnas.core.pod;


import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ("2", "500m", "4Gi", "1e3"): the grammar the API server parses, so
 * the local mode rejects what a cluster rejects. (Not a CEL isQuantity rule in the CRD: on maps of
 * unbounded strings its estimated cost exceeds the API server's budget; on a cluster the operator's
 * SpecValidator pauses the search naming the field, before any pod is refused.)
 */
public final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

    private Quantities() {
    }

    public static boolean isQuantity(String value) {
        return value != null && QUANTITY.matcher(value).matches();
    }
}
