package org.distarch.history;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The history contract on SQLite: a new file in a temporary directory. */
class SqliteHistoryStoreTest extends HistoryStoreContract {

    @TempDir
    Path dir;

    @Override
    HistoryOptions newDatabase() {
        return HistoryOptions.sqliteIn(dir);
    }
}
