package org.distarch.cli;

import java.util.concurrent.Callable;
import org.distarch.config.ConfigReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config:dump-reference", mixinStandardHelpOptions = true,
        description = "Prints every configuration option with its default and a one-line explanation.")
final class ConfigDumpReferenceCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ROOT",
            description = "Accepted for compatibility with the seed's `config:dump-reference distributed_architecture`.")
    String root;

    @Override
    public Integer call() {
        if (root != null && !root.equals("distributed_architecture")) {
            System.err.println("Unknown configuration root \"" + root + "\": the only one is distributed_architecture");
            return ExitCodes.USAGE;
        }
        System.out.print(ConfigReference.render());
        return 0;
    }
}
