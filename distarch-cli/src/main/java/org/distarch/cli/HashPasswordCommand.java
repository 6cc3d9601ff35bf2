package org.distarch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.distarch.admin.auth.PasswordHashes;
import picocli.CommandLine.Command;

@Command(name = "admin:hash-password", mixinStandardHelpOptions = true,
        description = {"Reads a password from standard input (its first line) and prints its BCrypt hash, for "
                + "admin.users.NAME.password_hash.", "",
            "e.g.  read -rs PW && printf '%s\\n' \"$PW\" | distarch admin:hash-password"})
final class HashPasswordCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            System.err.println("no password on standard input (give it as the first line)");
            return ExitCodes.USAGE;
        }
        try {
            System.out.println(PasswordHashes.hash(password));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("cannot hash this password: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
