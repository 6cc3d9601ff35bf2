package org.distarch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "A distributed process supervisor and work queue for the JVM.",
            "",
            "The master reads a YAML file of groups, starts their workers, logs every line they print, "
                    + "restarts the ones that crash or go silent, and stops them all cleanly.",
            ""
        })
final class RootCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: try run-master, or --help");
    }
}
