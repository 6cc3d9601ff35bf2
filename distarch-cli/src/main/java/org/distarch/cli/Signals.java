package org.distarch.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.master.Master;
import sun.misc.Signal;

/**
 * SIGTERM and the first SIGINT stop the fleet gracefully; a second SIGINT kills it. The JVM's own
 * handlers would exit at once and leave the workers to their parent-death signal. SIGUSR1 reloads the
 * configuration (as {@code distarch reload}). SIGHUP stops a foreground master gracefully (its terminal
 * went away); a service instead reopens its log file on SIGHUP (log rotation, see MasterSession).
 */
final class Signals {

    private Signals() {}

    @SuppressWarnings("restriction")
    static void install(Master master, Runnable reload) {
        AtomicInteger interrupts = new AtomicInteger();
        Signal.handle(new Signal("USR1"), s -> reload.run());
        Signal.handle(new Signal("HUP"), s -> master.requestStop("Received SIGHUP (terminal closed), stopping"));
        Signal.handle(new Signal("TERM"), s -> master.requestStop("Received SIGTERM, stopping"));
        Signal.handle(new Signal("INT"), s -> {
            if (interrupts.incrementAndGet() == 1) {
                master.requestStop("Received SIGINT, stopping (press Ctrl-C again to kill)");
            } else {
                master.forceStop("Received a second SIGINT");
            }
        });
    }

    /** SIGHUP runs {@code action} (on the JVM's signal thread) instead of ending the JVM. */
    @SuppressWarnings("restriction")
    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), s -> action.run());
    }
}
