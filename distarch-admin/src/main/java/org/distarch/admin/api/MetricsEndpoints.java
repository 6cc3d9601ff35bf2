package org.distarch.admin.api;

import java.time.Clock;
import org.distarch.control.ControlPlane;
import org.distarch.control.MasterStatus;
import org.distarch.metrics.FleetMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /metrics}: the master's metrics in the Prometheus text format, for a scraper with a viewer
 * token; {@code GET /api/v1/queues}: the queue groups' item figures and consumers as JSON ({@link QueueRows}).
 */
final class MetricsEndpoints {

    /** The Prometheus text exposition format's content type. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final FleetMetrics metrics;
    private final ControlPlane plane;
    private final Clock clock;

    MetricsEndpoints(FleetMetrics metrics, ControlPlane plane, Clock clock) {
        this.metrics = metrics;
        this.plane = plane;
        this.clock = clock;
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

    Reply queues(Exchange x) throws InterruptedException {
        if (!x.query().isEmpty()) {
            throw ApiException.badRequest("unknown parameter \"" + x.query().keySet().iterator().next() + "\"");
        }
        FleetMetrics figures = metrics();
        MasterStatus status = plane == null ? null : Control.await(plane.status());
        return Reply.ok(QueueRows.of(figures.queues(clock.millis()), status));
    }

    private FleetMetrics metrics() {
        if (metrics == null) {
            throw new ApiException(503, "this master keeps no metrics");
        }
        return metrics;
    }
}
