package io.pbtnas.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Serves {@link SearchAdmission} at {@link SearchAdmission#PATH} on the HTTPS port only (the API
 * server calls webhooks over TLS; health and metrics stay on plain HTTP). The certificate comes from
 * files ({@code quarkus.http.ssl.certificate.*}, reloaded periodically, so a rotated one is picked up);
 * without them Quarkus opens no HTTPS port and nothing here is reachable. I/O only.
 */
@ApplicationScoped
public class AdmissionRoute {
    private static final Logger LOG = Logger.getLogger(AdmissionRoute.class);
    /** An AdmissionReview carries the object and the old one; a PbtNasSearch is far below this. */
    private static final long BODY_LIMIT = 3L * 1024 * 1024;

    void register(@Observes Router router) {
        router.post(SearchAdmission.PATH)
                .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        if (!ctx.request().isSSL()) {
            ctx.response().setStatusCode(404).end("the admission webhook is served over HTTPS only");
            return;
        }
        JsonNode review;
        try {
            review = Json.MAPPER.readTree(ctx.body().asString());
        } catch (Exception e) {
            ctx.response().setStatusCode(400).end("expected an AdmissionReview (admission.k8s.io/v1) as JSON: "
                    + e.getMessage());
            return;
        }
        String answer = Json.write(SearchAdmission.review(review));
        if (LOG.isDebugEnabled()) {
            LOG.debugf("admission %s %s/%s: %s", review.path("request").path("operation").asText(),
                    review.path("request").path("namespace").asText(), review.path("request").path("name").asText(),
                    answer);
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").setStatusCode(200).end(answer);
    }
}
