package io.brokerlink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of the distribution: {@code brokerlink <command> [options]}. */
@Command(name = "brokerlink",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Expose a Kafka cluster through a private endpoint: one port per broker on one address.",
        subcommands = {DemoCommand.class, SandboxCommand.class, PlanCommand.class, GatewayCommand.class,
            DoctorCommand.class})
public final class Main implements Runnable {

    /** Exit code for wrong input: an unknown option, a bad value, a port in use. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()) + " (see brokerlink --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with BrokerLink's error handling; callers may redirect its out and err writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                return usageError(new ParameterException(commandLine, e.getMessage()), new String[0]);
            }
            throw e;
        });
        return cli;
    }

    /** One line on stderr, naming the command and the option at fault; exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + e.getMessage());
        err.flush();
        return USAGE;
    }

    /** The version Maven built, from {@code brokerlink.properties}. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"brokerlink " + version()};
        }

        public static String version() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/brokerlink.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return p.getProperty("version", "unknown") + " (Kafka " + p.getProperty("kafka.version", "unknown") + ")";
        }
    }
}
