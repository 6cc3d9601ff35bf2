-- The history's first schema (SQLite). Times are epoch milliseconds, as in the events' JSON.
-- AUTOINCREMENT: ids are never reused after retention deletes rows, so paging cursors stay valid.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started BIGINT NOT NULL,
    stopped BIGINT,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    config TEXT,
    version TEXT,
    exit_code INTEGER,
    reason TEXT
);

CREATE TABLE transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run BIGINT NOT NULL,
    time BIGINT NOT NULL,
    process_id INTEGER NOT NULL,
    group_name TEXT NOT NULL,
    group_id INTEGER NOT NULL,
    host TEXT NOT NULL,
    process TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX transitions_time ON transitions (time);
CREATE INDEX transitions_run_process ON transitions (run, process_id, time);

CREATE TABLE exits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run BIGINT NOT NULL,
    time BIGINT NOT NULL,
    process_id INTEGER NOT NULL,
    group_name TEXT NOT NULL,
    group_id INTEGER NOT NULL,
    host TEXT NOT NULL,
    process TEXT NOT NULL,
    exit_code INTEGER,
    exit_signal INTEGER,
    outcome TEXT NOT NULL,
    reason TEXT,
    restarts INTEGER NOT NULL,
    restart_in_ms BIGINT
);
CREATE INDEX exits_time ON exits (time);
CREATE INDEX exits_run_process ON exits (run, process_id, time);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run BIGINT NOT NULL,
    time BIGINT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    ok INTEGER NOT NULL,
    result TEXT
);
CREATE INDEX actions_time ON actions (time);
CREATE INDEX actions_run ON actions (run, time);

CREATE TABLE relay_connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run BIGINT NOT NULL,
    time BIGINT NOT NULL,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX relay_connections_time ON relay_connections (time);
CREATE INDEX relay_connections_run ON relay_connections (run, time);

CREATE TABLE queue_totals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run BIGINT NOT NULL,
    time BIGINT NOT NULL,
    group_name TEXT NOT NULL,
    done BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    redelivered BIGINT NOT NULL
);
CREATE INDEX queue_totals_time ON queue_totals (time);
CREATE INDEX queue_totals_run ON queue_totals (run, time);
