package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.distarch.metrics.FleetMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /metrics}: the master's metrics in the Prometheus text format, for a scraper with a viewer
 * token; {@code GET /api/v1/queues}: the queue groups' item figures as JSON.
 */
final class MetricsEndpoints {

    /** The Prometheus text exposition format's content type. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final FleetMetrics metrics;

    MetricsEndpoints(FleetMetrics metrics) {
        this.metrics = metrics;
    }

    Reply scrape(Exchange x) {
        if (!x.query().isEmpty()) {
            throw ApiException.badRequest("unknown parameter \"" + x.query().keySet().iterator().next() + "\"");
        }
        String text = metrics().scrape();
        x.response().setStatus(200);
        x.response().getHeaders().put(HttpHeader.CONTENT_TYPE, PROMETHEUS_TEXT);
        Content.Sink.write(x.response(), true, text, x.callback());
        return null;
    }

    Reply queues(Exchange x) {
        if (!x.query().isEmpty()) {
            throw ApiException.badRequest("unknown parameter \"" + x.query().keySet().iterator().next() + "\"");
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode queues = answer.putArray("queues");
        metrics().queues().forEach(q -> queues.add(Json.MAPPER.valueToTree(q)));
        return Reply.ok(answer);
    }

    private FleetMetrics metrics() {
        if (metrics == null) {
            throw new ApiException(503, "this master keeps no metrics");
        }
        return metrics;
    }
}
