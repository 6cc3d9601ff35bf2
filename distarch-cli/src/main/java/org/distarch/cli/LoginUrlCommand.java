package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "admin:login-url", mixinStandardHelpOptions = true,
        description = {"Prints the link that logs a browser in to a running master's admin page with its access "
                + "token, read from NAME.admin-token beside the master's pid file (mode 0600: only the master's user, "
                + "or root, can read it). The master never logs its token.",
            "A master with admin.users has no access token: log in on its page with a user name and password."})
final class LoginUrlCommand implements Callable<Integer> {

    @Option(names = "--pid", paramLabel = "FILE", defaultValue = ServicePaths.DEFAULT_PID,
            description = "The master's pid file; its admin files are beside it (default: ${DEFAULT-VALUE}).")
    Path pidFile;

    @Override
    public Integer call() {
        Path urlFile = AdminFiles.urlFile(pidFile);
        Path tokenFile = AdminFiles.tokenFile(pidFile);
        String url;
        try {
            // A master killed outright leaves its files behind; their token would only be refused.
            PidFile.Check master = PidFile.check(pidFile);
            if (!master.live()) {
                System.err.println("no master running at " + pidFile + ": " + master.reason());
                return ExitCodes.NO_MASTER;
            }
            url = read(urlFile);
        } catch (NoSuchFileException e) {
            System.err.println("no admin page for the master of " + pidFile + ": " + urlFile + " does not exist "
                    + "(is the master running, with its admin page on?)");
            return ExitCodes.NO_MASTER;
        } catch (IOException e) {
            System.err.println("cannot read " + urlFile + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try {
            System.out.println(url + "login?token=" + read(tokenFile));
            return 0;
        } catch (NoSuchFileException e) {
            System.err.println("the master at " + url + " has no access token (admin.users is configured): log in at "
                    + url + "login.html with a user name and password");
        } catch (AccessDeniedException e) {
            System.err.println("cannot read " + tokenFile + ": permission denied (only the master's user can read it)");
        } catch (IOException e) {
            System.err.println("cannot read " + tokenFile + ": " + e.getMessage());
        }
        return ExitCodes.FAILED;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
