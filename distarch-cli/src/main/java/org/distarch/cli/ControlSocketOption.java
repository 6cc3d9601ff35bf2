package org.distarch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.distarch.control.socket.ControlClient;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.socket.ControlResponse;
import org.distarch.control.ControlResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --pid FILE}: which master to talk to (its control socket sits beside its pid file), and
 * {@code --timeout SECONDS}: how long to wait for it.
 */
final class ControlSocketOption {

    @Option(names = "--pid", paramLabel = "FILE", defaultValue = ServicePaths.DEFAULT_PID,
            description = "The master's pid file; its control socket is beside it (default: ${DEFAULT-VALUE}).")
    Path pidFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up when the master has not answered within this, connecting included "
                    + "(default: ${DEFAULT-VALUE}; the master itself refuses after 20 s).")
    void timeout(long seconds) {
        if (seconds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be at least 1 second (got " + seconds + ")");
        }
        this.timeout = Duration.ofSeconds(seconds);
    }

    @Option(names = "--url", paramLabel = "URL",
            description = "Steer the master at this URL over its HTTP API (e.g. https://master.example:8642/) "
                    + "instead of the control socket; the token is read from $" + HttpControl.TOKEN_ENV + ".")
    String url;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    Duration timeout = ControlClient.DEFAULT_TIMEOUT;

    /**
     * Sends the request; prints the problem (no master, permission denied, no answer in time) on one line
     * and returns null when there is no answer.
     */
    ControlResponse send(ControlRequest request) {
        try {
            if (url != null) {
                return new HttpControl(url, System.getenv(HttpControl.TOKEN_ENV), timeout).send(request);
            }
            return ControlClient.send(ServicePaths.socketFor(pidFile), request, timeout);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }

    /** Sends an action, prints its result, and returns the exit code: 0 done, 1 refused, 2 no answer. */
    int act(ControlRequest request) {
        ControlResponse response = send(request);
        if (response == null) {
            return ExitCodes.NO_MASTER;
        }
        ControlResult result = response.result();
        if (result == null) {
            System.err.println("the master answered without a result");
            return ExitCodes.FAILED;
        }
        (result.ok() ? System.out : System.err).println(result.message());
        result.details().forEach(d -> (result.ok() ? System.out : System.err).println("  " + d));
        return result.ok() ? 0 : ExitCodes.FAILED;
    }
}
