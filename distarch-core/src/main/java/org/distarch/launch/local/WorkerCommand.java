package org.distarch.launch.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line a local worker is spawned with: the programs it runs through before its own, each of which
 * execs the next (so the worker keeps the pid we see), in the only order that works:
 *
 * <ol>
 *   <li>the {@code setsid} program, where {@code posix_spawn} cannot make the session itself;</li>
 *   <li>{@code nice}, before any user switch (only root may raise a priority);</li>
 *   <li>{@code setpriv [--reuid U --regid G --init-groups] --pdeathsig TERM --}: one setpriv for both, which sets
 *       the parent-death signal after the credentials (Linux clears it when they change);</li>
 *   <li>one {@code sh} that checks its parent is still the spawner, enters the worker's cgroup and sets the
 *       umask, then execs the worker's command.</li>
 * </ol>
 *
 * <p>Why the check: Linux sends the parent-death signal only for a parent that dies <em>after</em> the
 * {@code prctl}. A master or relay SIGKILLed between {@code posix_spawn} and that call (the soak found it) left
 * a worker that never heard of it and ran on with nobody watching. Its parent is then init or a subreaper, so
 * {@code $PPID} (read by {@code sh} as it starts, after the {@code prctl}) is no longer the spawner's pid, and
 * it ends at once with {@link #PARENT_GONE} instead of running its program. It says why on stderr first: nobody
 * reads that when the spawner is gone (the write may end it with SIGPIPE), but a check that failed for any
 * other reason would show in the master's log, not as a bare exit code. The cgroup is entered in the same
 * {@code sh}, so the check costs no exec more where cgroups are used; only with a user switch is the cgroup
 * entered first, by an {@code sh} of its own, as writing {@code cgroup.procs} needs root. Entering it after
 * {@code nice} and {@code setpriv} changes nothing: neither starts a process.
 */
final class WorkerCommand {

    /** How a worker whose spawner was gone before it could hear of it ends (the shell's "cannot run"). */
    static final int PARENT_GONE = 125;

    /** The programs found on this machine, by full path (the exec of each then skips a walk along the PATH). */
    record Tools(String setsid, String nice, String setpriv) {}

    private WorkerCommand() {}

    /**
     * @param spawner  the pid of the process that spawns (this JVM)
     * @param priority the nice value, or null
     * @param account  the user to switch to, or null (needs {@code setpriv})
     * @param cgroup   the worker's cgroup directory, or null
     * @param umask    the octal umask, or null to inherit
     */
    static List<String> of(Tools tools, long spawner, Integer priority, Accounts.Account account, Path cgroup,
            String umask, List<String> command) {
        if (account != null && tools.setpriv() == null) {
            throw new IllegalArgumentException("a user switch needs setpriv"); // never run as root instead
        }
        List<String> words = new ArrayList<>();
        if (tools.setsid() != null) {
            words.add(tools.setsid());
        }
        boolean cgroupFirst = cgroup != null && account != null;
        if (cgroupFirst) {
            words.addAll(shell(null, cgroup, null));
        }
        if (priority != null && tools.nice() != null) {
            words.addAll(List.of(tools.nice(), "-n", Integer.toString(priority)));
        }
        if (tools.setpriv() != null) {
            words.add(tools.setpriv());
            if (account != null) {
                words.addAll(List.of("--reuid", Integer.toString(account.uid()), "--regid",
                        Integer.toString(account.gid()), "--init-groups"));
            }
            words.addAll(List.of("--pdeathsig", "TERM", "--"));
        }
        words.addAll(shell(tools.setpriv() != null ? spawner : null, cgroupFirst ? null : cgroup, umask));
        words.addAll(command);
        return words;
    }

    /**
     * The {@code sh -c} words for what is asked (none when nothing is): the parent check against {@code spawner},
     * the cgroup to enter (its directory is the script's {@code $0}), the umask; then the exec.
     */
    static List<String> shell(Long spawner, Path cgroup, String umask) {
        if (spawner == null && cgroup == null && umask == null) {
            return List.of();
        }
        StringBuilder script = new StringBuilder();
        if (spawner != null) {
            script.append("[ \"$PPID\" = ").append(spawner).append(" ] || { echo \"distarch: not starting: the "
                    + "process that started this one (pid ").append(spawner).append(") is gone\" >&2; exit ")
                    .append(PARENT_GONE).append("; }; ");
        }
        if (cgroup != null) {
            script.append("echo $$ >\"$0/cgroup.procs\" || echo \"distarch: could not enter the cgroup $0; running "
                    + "without it\" >&2; ");
        }
        if (umask != null) {
            script.append("umask ").append(umask).append(" && ");
        }
        script.append(cgroup != null ? "exec \"$@\"" : "exec \"$0\" \"$@\"");
        return cgroup != null ? List.of("/bin/sh", "-c", script.toString(), cgroup.toString())
                : List.of("/bin/sh", "-c", script.toString());
    }
}
