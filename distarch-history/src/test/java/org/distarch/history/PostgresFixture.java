package org.distarch.history;

import org.distarch.testkit.PostgresCluster;

import org.junit.jupiter.api.Assumptions;

/**
 * Starts a {@link PostgresCluster} for a test class, or skips the class when PostgreSQL is not installed; in CI
 * ({@code CI} or {@code DISTARCH_TESTHOSTS_REQUIRED} set) a missing PostgreSQL fails instead of skipping.
 */
final class PostgresFixture {

    private PostgresFixture() {}

    static PostgresCluster cluster() throws Exception {
        boolean required = System.getenv("CI") != null
                || "true".equals(System.getenv("DISTARCH_TESTHOSTS_REQUIRED"));
        if (!PostgresCluster.available()) {
            if (required) {
                throw new IllegalStateException("PostgreSQL is required in CI but not installed (.ci/run installs it)");
            }
            Assumptions.abort("PostgreSQL is not installed");
        }
        return PostgresCluster.start();
    }
}
