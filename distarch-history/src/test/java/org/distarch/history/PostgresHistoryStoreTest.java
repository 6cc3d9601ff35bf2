package org.distarch.history;

import org.distarch.testkit.PostgresCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The history contract on PostgreSQL: a cluster this test starts, a new database per test. */
class PostgresHistoryStoreTest extends HistoryStoreContract {

    static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PostgresFixture.cluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    HistoryOptions newDatabase() throws Exception {
        return new HistoryOptions(cluster.newDatabase(), "distarch", null, HistoryOptions.DEFAULT_RETENTION,
                HistoryOptions.DEFAULT_MAX_ROWS);
    }
}
