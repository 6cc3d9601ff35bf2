package org.distarch.remote.ssh;

import java.util.List;
import org.distarch.master.RemoteConnector;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.Supervised;

/** Reaches remote hosts with the system's OpenSSH client: one session and one relay per group and host. */
public final class SshConnector implements RemoteConnector {

    private final SshCommand ssh;

    public SshConnector(SshCommand ssh) {
        this.ssh = ssh;
    }

    @Override
    public List<Supervised> connect(List<InstancePlan> instances, Context context) {
        return List.copyOf(new HostSession(instances, context, ssh).members());
    }
}
