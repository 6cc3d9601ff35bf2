package org.distarch.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distarch.admin.auth.Credentials;
import org.distarch.config.AdminConfig;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes exactly the routes the handler serves, and every schema it refers to exists. */
class OpenApiTest {

    @Test
    void everyRouteIsDescribedAndNothingElse() {
        List<String> described = new ArrayList<>();
        OpenApi.document().path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        try (EventStream stream = new EventStream(Clock.systemUTC())) {
            ApiHandler handler = new ApiHandler(null, null, Credentials.of(AdminConfig.DEFAULT, n -> null, "t"),
                    stream, e -> { }, org.distarch.admin.Insights.NONE, Clock.systemUTC(), false);
            assertThat(described).containsExactlyInAnyOrderElementsOf(handler.routeKeys());
        }
    }

    @Test
    void everyReferenceResolves() {
        JsonNode doc = OpenApi.document();
        List<String> refs = new ArrayList<>();
        collect(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(doc.path("components").path("schemas").has(ref.substring("#/components/schemas/".length())))
                    .as(ref).isTrue();
        }
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, refs));
        }
    }
}
