package org.distarch.admin.api;

import java.util.HashMap;
import java.util.Map;
import org.distarch.config.AdminRole;

/**
 * One endpoint of the API: method, path template ({@code /api/v1/processes/{id}}), the least role that may call
 * it (null: no credentials needed) and the code. The OpenAPI document describes exactly these (a test checks).
 */
record Route(String method, String path, AdminRole role, Endpoint endpoint) {

    /** The code behind a route; returns null when it wrote the response itself (a stream, a redirect). */
    @FunctionalInterface
    interface Endpoint {
        Reply handle(Exchange exchange) throws Exception;
    }

    boolean changesState() {
        return method.equals("POST");
    }

    /** The path's parameters when {@code actual} fits the template, else null. */
    Map<String, String> match(String actual) {
        String[] want = path.split("/", -1);
        String[] got = actual.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }
}
