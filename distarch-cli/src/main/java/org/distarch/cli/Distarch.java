package org.distarch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.distarch.config.DistarchConfig;
import org.distarch.event.DistarchListener;
import org.distarch.remote.relay.Relay;
import org.distarch.remote.ssh.SshCommand;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerRunner;
import picocli.CommandLine;

/**
 * The entry point of an application that holds its own worker commands (the seed's {@code bin/console}
 * model): one binary runs the master ({@code run-master}) and, started by that master, each worker.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Distarch.app(MyApp.class)
 *             .worker(new ResizeImagesCommand())
 *             .listener(new MetricsListener())
 *             .run(args);
 * }
 * }</pre>
 *
 * Worker commands and listeners listed in {@code META-INF/services/org.distarch.worker.WorkerCommand} and
 * {@code META-INF/services/org.distarch.event.DistarchListener} are found on the class path as well.
 */
public final class Distarch {

    private final Class<?> mainClass;
    private final Map<String, WorkerCommand> workers = new LinkedHashMap<>();
    private final List<DistarchListener> listeners = new ArrayList<>();
    private String defaultConfigResource;
    private String name = "distarch";
    private Supplier<DistarchConfig> configSource;

    private Distarch(Class<?> mainClass) {
        this.mainClass = mainClass;
        ServiceLoader.load(WorkerCommand.class).forEach(this::worker);
        ServiceLoader.load(DistarchListener.class).forEach(listeners::add);
    }

    /** @param mainClass the class whose {@code main} calls this; workers are started through it */
    public static Distarch app(Class<?> mainClass) {
        return new Distarch(mainClass);
    }

    public Distarch worker(WorkerCommand command) {
        workers.put(command.name(), command);
        return this;
    }

    public Distarch listener(DistarchListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The configuration to use when neither {@code --config} nor the default file exists (a class path resource). */
    public Distarch defaultConfig(String resource) {
        this.defaultConfigResource = resource;
        return this;
    }

    /**
     * Where the configuration comes from when {@code --config} is not given, instead of the default file: an
     * embedding framework's own settings (the Spring Boot starter's {@code distributed-architecture:} section).
     * Called again for every reload; it throws {@link org.distarch.config.ConfigException} when invalid.
     */
    public Distarch config(Supplier<DistarchConfig> source) {
        this.configSource = source;
        return this;
    }

    /** The program name shown in help texts. */
    public Distarch name(String name) {
        this.name = name;
        return this;
    }

    /**
     * Whether {@link #execute(String...)} would run one of distarch's commands ({@code run-master},
     * {@code config:validate}, {@code status}, ...), one of the application's worker commands or a remote
     * relay for these arguments; false when they are the application's own (an embedding framework then runs
     * the application as usual).
     */
    public boolean handles(String... args) {
        if (args.length == 0) {
            return false;
        }
        return args[0].equals(SshCommand.RELAY_COMMAND) || workers.containsKey(args[0])
                || commandLine().getSubcommands().containsKey(args[0]);
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public void run(String... args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code. */
    public int execute(String... args) {
        if (args.length == 1 && args[0].equals(SshCommand.RELAY_COMMAND)) {
            try {
                return Relay.run(System.in, System.out, System.err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        if (args.length > 0 && workers.containsKey(args[0])) {
            return WorkerRunner.run(workers.get(args[0]));
        }
        return commandLine().execute(args);
    }

    /**
     * A wrong option or value: its one-line error and where to find the options, not the whole usage text (which
     * buried the one line that mattered, e.g. {@code --timeout must be at least 5 seconds}).
     */
    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    CommandLine commandLine() {
        AppContext context = new AppContext(mainClass, Map.copyOf(workers), List.copyOf(listeners),
                defaultConfigResource, configSource);
        CommandLine cli = new CommandLine(new RootCommand());
        cli.setCommandName(name);
        cli.setParameterExceptionHandler(Distarch::badCommandLine);
        cli.addSubcommand("run-master", new RunMasterCommand(context));
        cli.addSubcommand("config:validate", new ConfigValidateCommand(context));
        cli.addSubcommand("config:dump-reference", new ConfigDumpReferenceCommand());
        cli.addSubcommand("config:plan", new ControlCommands.Plan());
        cli.addSubcommand("status", new StatusCommand());
        cli.addSubcommand("suspend", new ControlCommands.Suspend());
        cli.addSubcommand("resume", new ControlCommands.Resume());
        cli.addSubcommand("reload", new ControlCommands.Reload());
        cli.addSubcommand("stop", new ControlCommands.Stop());
        cli.addSubcommand("admin:hash-password", new HashPasswordCommand());
        cli.addSubcommand("admin:login-url", new LoginUrlCommand());
        cli.addSubcommand("start", new ControlCommands.Start());
        cli.addSubcommand("restart", new RestartCommand());
        cli.addSubcommand("signal", new ControlCommands.Signal());
        cli.addSubcommand("logs", new LogsCommand());
        cli.addSubcommand("top", new TopCommand());
        cli.addSubcommand("history", new HistoryCommand());
        if (!workers.isEmpty()) {
            StringBuilder footer = new StringBuilder("%nWorker commands (started by run-master, not by hand):%n");
            workers.values().forEach(w -> footer.append("  ").append(w.name())
                    .append(w.description().isEmpty() ? "" : "  " + w.description()).append("%n"));
            cli.getCommandSpec().usageMessage().footer(footer.toString());
        }
        return cli;
    }
}
