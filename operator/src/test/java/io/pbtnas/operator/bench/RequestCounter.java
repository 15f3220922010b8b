package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests one Fabric8 client sends, by verb and resource ("CREATE pods", "PATCH
 * pbtnassearches/status"), so the API server's own total can be split between the operator, the test
 * kubelet and the benchmark itself.
 */
final class RequestCounter implements Interceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        counts.computeIfAbsent(kind(request.method(), request.uri()), k -> new LongAdder()).increment();
    }

    /** Counts so far, sorted by kind. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** after - before, per kind (kinds with no new requests left out). */
    static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /** "VERB resource[/subresource]" from a Kubernetes REST path, the way the API server labels them. */
    static String kind(String method, URI uri) {
        List<String> parts = List.of(uri.getPath().replaceFirst("^/+", "").split("/"));
        List<String> rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            rest = parts.subList(3, parts.size());
        } else {
            return method + " " + uri.getPath();
        }
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty()) {
            return method + " " + uri.getPath();
        }
        String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
        boolean named = rest.size() >= 2;
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> named ? "GET" : query.contains("watch=true") ? "WATCH" : "LIST";
            case "POST" -> "CREATE";
            case "PUT" -> "UPDATE";
            default -> method;
        };
        return verb + " " + resource;
    }
}
