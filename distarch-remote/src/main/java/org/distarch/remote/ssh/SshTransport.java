package org.distarch.remote.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distarch.launch.RemoteTarget;

/**
 * Relay sessions through the system's OpenSSH client ({@link SshCommand}). Each {@code ssh} runs under
 * {@code setpriv --pdeathsig KILL}, so that it dies with the master even when the master is killed with
 * SIGKILL; the relay then sees its stdin close and stops its processes.
 */
final class SshTransport implements SessionTransport {

    private final SshCommand ssh;

    SshTransport(SshCommand ssh) {
        this.ssh = ssh;
    }

    @Override
    public Channel open(RemoteTarget target, Path directory) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        command.addAll(ssh.forTarget(target, directory));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new Channel() {
            @Override
            public InputStream in() {
                return process.getInputStream();
            }

            @Override
            public OutputStream out() {
                return process.getOutputStream();
            }

            @Override
            public int waitFor() throws InterruptedException {
                return process.waitFor();
            }

            @Override
            public void destroy() {
                process.destroyForcibly();
            }
        };
    }
}
