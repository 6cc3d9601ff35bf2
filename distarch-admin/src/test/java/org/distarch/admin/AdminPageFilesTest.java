package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page's files as a browser gets them from a real server: every module the pages load (following
 * their imports) is served with its content type, under the strict Content-Security-Policy, and no page needs
 * what that policy forbids (inline scripts, inline styles, other origins).
 */
class AdminPageFilesTest {

    @TempDir
    Path dir;
    TestFleet fleet;
    Http http;

    @BeforeEach
    void start() throws Exception {
        fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV);
        http = new Http(fleet.url());
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\b[^;]*?from\\s+'\\./([\\w-]+\\.js)'");
    private static final Pattern ANY_URL = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");

    @Test
    void everyFileThePagesLoadIsServedUnderTheStrictPolicy() throws Exception {
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String page : new String[] {"/", "/login.html"}) {
            Http.Answer answer = http.get(page);
            assertThat(answer.status()).as(page).isEqualTo(200);
            assertThat(answer.header("Content-Type")).as(page).anyMatch(t -> t.startsWith("text/html"));
            assertPolicy(page, answer);
            String html = answer.body();
            assertThat(html).as(page).doesNotContain(" style=").doesNotContain("<style").doesNotContain("onclick=");
            Matcher script = SCRIPT.matcher(html);
            while (script.find()) {
                // Relative, so that the page works under any path (an application's server mounts it at /distarch/).
                assertThat(script.group(1)).as("a script of %s must come from a file", page).contains("src=\"js/");
                todo.add("/" + script.group(1).replaceAll(".*src=\"(js/[\\w-]+\\.js)\".*", "$1"));
            }
            assertThat(html).as(page).contains("href=\"app.css\"").doesNotContain("href=\"/").doesNotContain("src=\"/");
            assertThat(ANY_URL.matcher(html).find()).as("%s loads nothing from elsewhere", page).isFalse();
        }
        assertThat(todo).contains("/js/main.js", "/js/login.js");
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) {
                continue;
            }
            Http.Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.header("Content-Type")).as(path).anyMatch(t -> t.startsWith("text/javascript"));
            assertPolicy(path, answer);
            assertThat(answer.body()).as(path).isEqualTo(resource(path));
            assertThat(answer.body()).as(path).doesNotContain("innerHTML").doesNotContain("eval(");
            assertThat(answer.body()).as("%s names the server's paths relative to the page", path)
                    .doesNotContain("'/api/").doesNotContain("`/api/").doesNotContain("\"/api/")
                    .doesNotContain("'/login.html");
            Matcher imports = IMPORT.matcher(answer.body());
            while (imports.find()) {
                todo.add("/js/" + imports.group(1));
            }
        }
        assertThat(seen).as("every module is reached from a page").hasSizeGreaterThan(10);
        Http.Answer css = http.get("/app.css");
        assertThat(css.header("Content-Type")).anyMatch(t -> t.startsWith("text/css"));
        assertPolicy("/app.css", css);
    }

    private static void assertPolicy(String path, Http.Answer answer) {
        assertThat(answer.header("Content-Security-Policy")).as(path).containsExactly(PageHeaders.CONTENT_SECURITY_POLICY);
        assertThat(PageHeaders.CONTENT_SECURITY_POLICY).contains("default-src 'none'", "script-src 'self'",
                "style-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(answer.header("X-Content-Type-Options")).as(path).containsExactly("nosniff");
        assertThat(answer.header("Referrer-Policy")).as(path).containsExactly("no-referrer");
        assertThat(answer.header("Cache-Control")).as(path).containsExactly("no-store");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AdminServer.class.getResourceAsStream("/org/distarch/admin/static" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
