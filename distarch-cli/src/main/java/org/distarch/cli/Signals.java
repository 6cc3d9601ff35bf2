package org.distarch.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.distarch.launch.local.SignalDisposition;
import org.distarch.master.Master;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and the first SIGINT stop the fleet gracefully; a second SIGINT kills it. The JVM's own
 * handlers would exit at once and leave the workers to their parent-death signal. SIGUSR1 reloads the
 * configuration (as {@code distarch reload}). SIGHUP stops a foreground master gracefully (its terminal
 * went away); a service instead reopens its log file on SIGHUP (log rotation, see MasterSession).
 *
 * <p>A signal the master's parent left ignored stays ignored by the JVM unless it is taken back
 * ({@link SignalDisposition}). SIGTERM always is: it is how systemd, {@code kill} and {@code --stop} end a master,
 * and one that ignored it could only be killed, leaving its workers to their parent-death signal. A service takes
 * SIGHUP back too (rotation needs it, and a service has no terminal to lose). A foreground master leaves an ignored
 * SIGHUP or SIGINT alone: {@code nohup} and a shell's background job ask exactly for that.
 */
final class Signals {

    private Signals() {}

    /**
     * Installs the master's handlers. {@code reopenOnHangup} is a service's SIGHUP action, null for a foreground
     * master; {@code notice} takes a line for the log when a signal that was ignored is handled or left so.
     */
    @SuppressWarnings("restriction")
    static void install(Master master, Runnable reload, Runnable reopenOnHangup, Consumer<String> notice) {
        AtomicInteger interrupts = new AtomicInteger();
        Signal.handle(new Signal("USR1"), s -> reload.run());
        if (reopenOnHangup != null) {
            handle("HUP", s -> reopenOnHangup.run(), true);
        } else if (handle("HUP", s -> master.requestStop("Received SIGHUP (terminal closed), stopping"), false)
                == Outcome.LEFT_IGNORED) {
            notice.accept("SIGHUP is ignored (started under nohup?): the master keeps running when its terminal "
                    + "closes");
        }
        if (handle("TERM", s -> master.requestStop("Received SIGTERM, stopping"), true) == Outcome.TAKEN_BACK) {
            notice.accept("SIGTERM was ignored by the process that started the master: it stops the master "
                    + "gracefully all the same");
        }
        handle("INT", s -> {
            if (interrupts.incrementAndGet() == 1) {
                master.requestStop("Received SIGINT, stopping (press Ctrl-C again to kill)");
            } else {
                master.forceStop("Received a second SIGINT");
            }
        }, false);
    }

    enum Outcome { INSTALLED, TAKEN_BACK, LEFT_IGNORED }

    /**
     * Installs {@code handler}, taking the signal back first when it was ignored and {@code evenIfIgnored}. The
     * JVM reports an ignored HUP, INT or TERM by handing back SIG_IGN without installing anything.
     */
    @SuppressWarnings("restriction")
    static Outcome handle(String name, SignalHandler handler, boolean evenIfIgnored) {
        Signal signal = new Signal(name);
        if (Signal.handle(signal, handler) != SignalHandler.SIG_IGN) {
            return Outcome.INSTALLED;
        }
        if (!evenIfIgnored || !SignalDisposition.restoreDefault(name)) {
            return Outcome.LEFT_IGNORED;
        }
        return Signal.handle(signal, handler) == SignalHandler.SIG_IGN ? Outcome.LEFT_IGNORED : Outcome.TAKEN_BACK;
    }
}
