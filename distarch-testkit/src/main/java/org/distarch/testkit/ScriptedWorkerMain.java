package org.distarch.testkit;

import org.distarch.worker.WorkerRunner;

/** {@code java -cp <classpath> org.distarch.testkit.ScriptedWorkerMain}: runs a {@link ScriptedWorker}. */
public final class ScriptedWorkerMain {

    private ScriptedWorkerMain() {}

    public static void main(String[] args) {
        System.exit(WorkerRunner.run(new ScriptedWorker()));
    }
}
