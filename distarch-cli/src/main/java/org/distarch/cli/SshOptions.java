package org.distarch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distarch.master.RemoteLaunchers;
import org.distarch.master.SelfCommand;
import org.distarch.remote.ssh.SshCommand;
import org.distarch.remote.ssh.SshLaunchers;
import picocli.CommandLine.Option;

/** How run-master reaches the hosts of remote entries: the system's ssh, with the user's own configuration. */
final class SshOptions {

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "An ssh client configuration to use instead of ~/.ssh/config (ssh -F).")
    Path configFile;

    @Option(names = "--ssh-option", paramLabel = "KEY=VALUE",
            description = "An extra ssh option (ssh -o), repeatable. Host keys are always verified unless you pass "
                    + "StrictHostKeyChecking=no or accept-new here: unsafe, for throwaway test fleets only.")
    List<String> options = new ArrayList<>();

    RemoteLaunchers.Factory launchers(SelfCommand self) {
        return SshLaunchers.factory(SshCommand.of(configFile, options, self.words()));
    }
}
