package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kube-apiserver's own count of the requests it served ({@code apiserver_request_total} from
 * its /metrics), summed per "VERB resource[/subresource]" — every client, including the API server's
 * in-process controllers. Diff two scrapes to count a period.
 */
final class ApiServerMetrics {
    private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{([^}]*)}\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private ApiServerMetrics() {}

    static Map<String, Long> scrape(KubernetesClient client) {
        String text = client.raw("/metrics");
        if (text == null) {
            throw new IllegalStateException("the API server returned no /metrics");
        }
        Map<String, Long> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            String sub = labels.getOrDefault("subresource", "");
            String kind = labels.getOrDefault("verb", "?") + " " + (resource.isEmpty() ? "(non-resource)" : resource)
                    + (sub.isEmpty() ? "" : "/" + sub);
            out.merge(kind, (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return out;
    }
}
