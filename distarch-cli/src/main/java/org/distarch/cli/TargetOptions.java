package org.distarch.cli;

import org.distarch.control.Target;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Which processes a command acts on: its {@code TARGET} parameter (an id, {@code GROUP/ID}, {@code GROUP}; each
 * command declares it, as {@link #TARGET}), {@code --host}, {@code --all}.
 */
final class TargetOptions {

    static final String TARGET = "A process id (as status shows it), GROUP/ID (the group's ID-th process), or GROUP.";

    String target;

    @Option(names = "--host", paramLabel = "HOST",
            description = "The processes on this host (localhost: the master's machine); with GROUP or GROUP/ID, "
                    + "those of the group on it.")
    String host;

    @Option(names = "--all", description = "Every process of the master.")
    boolean all;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    TargetOptions with(String target) {
        this.target = target;
        return this;
    }

    /** Whether anything names processes. */
    boolean given() {
        return target != null || host != null || all;
    }

    /** The target, or a usage error saying what to give. */
    Target resolve() {
        if (all && (target != null || host != null)) {
            throw usage("--all names every process: give no TARGET or --host with it");
        }
        if (all) {
            return Target.all();
        }
        if (target == null && host == null) {
            throw usage("name the processes: a TARGET (id, GROUP/ID or GROUP), --host HOST or --all");
        }
        try {
            Target t = target == null ? Target.host(host) : Target.parse(target);
            if (host != null && target != null) {
                if (t.id() != null) {
                    throw usage("a process id names one process already: give no --host with it");
                }
                t = new Target(t.group(), null, t.groupId(), host);
            }
            return t;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
