package org.distarch.admin.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.distarch.config.AdminRole;

/**
 * Browser sessions, in memory (a master restart logs everyone out). A session id is the cookie's value; its
 * CSRF token must come back in the {@code X-CSRF-Token} header of every state-changing request. A session
 * ends after {@link #IDLE} without a request, and after {@link #MAX_AGE} in any case.
 */
public final class Sessions {

    public static final Duration IDLE = Duration.ofHours(2);
    public static final Duration MAX_AGE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One logged-in browser. */
    public static final class Session {
        private final String id;
        private final String name;
        private final AdminRole role;
        private final String csrf;
        private final long createdAt;
        private volatile long lastUsed;

        Session(String id, String name, AdminRole role, String csrf, long now) {
            this.id = id;
            this.name = name;
            this.role = role;
            this.csrf = csrf;
            this.createdAt = now;
            this.lastUsed = now;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public AdminRole role() {
            return role;
        }

        public String csrf() {
            return csrf;
        }
    }

    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    public Session create(String name, AdminRole role) {
        long now = clock.millis();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> expired(s, now));
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().min(java.util.Comparator.comparingLong(s -> s.lastUsed))
                        .ifPresent(s -> sessions.remove(s.id));
            }
        }
        Session session = new Session(random(), name, role, random(), now);
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of that id (and marks it used), or null. */
    public Session find(String id) {
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return null;
        }
        long now = clock.millis();
        if (expired(session, now)) {
            sessions.remove(id);
            return null;
        }
        session.lastUsed = now;
        return session;
    }

    public void end(Session session) {
        sessions.remove(session.id);
    }

    private static boolean expired(Session s, long now) {
        return now - s.lastUsed > IDLE.toMillis() || now - s.createdAt > MAX_AGE.toMillis();
    }

    /** 32 random bytes, URL-safe: a session id, a CSRF token, the master's access token. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
