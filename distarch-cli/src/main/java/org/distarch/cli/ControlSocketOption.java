package org.distarch.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.distarch.control.ControlClient;
import org.distarch.control.ControlRequest;
import org.distarch.control.ControlResponse;
import org.distarch.control.ControlResult;
import picocli.CommandLine.Option;

/** {@code --pid FILE}: which master to talk to (its control socket sits beside its pid file). */
final class ControlSocketOption {

    @Option(names = "--pid", paramLabel = "FILE", defaultValue = ServicePaths.DEFAULT_PID,
            description = "The master's pid file; its control socket is beside it (default: ${DEFAULT-VALUE}).")
    Path pidFile;

    /** Sends the request; prints the problem and returns null when no master answers. */
    ControlResponse send(ControlRequest request) {
        try {
            return ControlClient.send(ServicePaths.socketFor(pidFile), request);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }

    /** Sends an action, prints its result, and returns the exit code: 0 done, 1 refused, 2 no master. */
    int act(ControlRequest request) {
        ControlResponse response = send(request);
        if (response == null) {
            return ExitCodes.NO_MASTER;
        }
        ControlResult result = response.result();
        (result.ok() ? System.out : System.err).println(result.message());
        result.details().forEach(d -> (result.ok() ? System.out : System.err).println("  " + d));
        return result.ok() ? 0 : ExitCodes.FAILED;
    }
}
