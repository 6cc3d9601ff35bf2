package org.distarch.it;

import org.distarch.cli.Distarch;
import org.distarch.testkit.ScriptedWorker;

/** The application the integration tests run as master (and, through it, as workers). */
public final class TestApp {

    private TestApp() {}

    public static void main(String[] args) {
        Distarch app = Distarch.app(TestApp.class).name("test-app").worker(new ScriptedWorker()).worker(new org.distarch.testkit.TestQueueCommand())
                // The seed README's example commands (SeedCompleteConfigIT and the other Seed*IT).
                .worker(new org.distarch.it.seed.SeedTestCommand())
                .worker(new org.distarch.it.seed.SeedTestCommand("app:test-command-2"))
                .worker(new org.distarch.it.seed.SeedTestQueueCommand());
        String events = System.getenv("DISTARCH_TEST_EVENTS");
        if (events != null) {
            app.listener(new EventRecorder(java.nio.file.Path.of(events)));
        }
        String jsonEvents = System.getenv("DISTARCH_TEST_EVENTS_JSON");
        if (jsonEvents != null) {
            app.listener(new JsonEventRecorder(java.nio.file.Path.of(jsonEvents)));
        }
        if (System.getenv("DISTARCH_TEST_THROWING_LISTENER") != null) {
            app.listener(new org.distarch.event.DistarchListener() {
                @Override
                public void onProcessStarted(org.distarch.event.ProcessEvent.Started event) {
                    throw new IllegalStateException("listener bug on purpose");
                }
            });
        }
        app.run(args);
    }
}
