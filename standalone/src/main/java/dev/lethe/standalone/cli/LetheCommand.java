package dev.lethe.standalone.cli;

import dev.lethe.standalone.scan.PiiScanCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of {@code lethe <subcommand>}: the command line that works against any deployment
 * (README, "The command line"). {@code ./lethe} with no subcommand runs the server instead
 * ({@link dev.lethe.standalone.LetheStandalone#main}). Each subcommand is its own class; a new one
 * is one {@code addSubcommand} line in {@link #commandLine}. Subcommands read the connection
 * settings through {@link Connection} from the environment this command was built with, so tests
 * hand in their own.
 */
@Command(name = "lethe", mixinStandardHelpOptions = true, versionProvider = LetheCommand.Version.class,
        description = "Lethe's command line. Without a subcommand, ./lethe runs the server.",
        subcommands = CommandLine.HelpCommand.class)
public final class LetheCommand {

    /** Exit status of a command that found something wrong in what it checked or filed (a refused row, a break). */
    public static final int FOUND_PROBLEMS = 1;
    /** Exit status of a command that could not run (no server, no broker, an unreadable file). */
    public static final int FAILED = 3;

    private final Map<String, String> environment;

    public LetheCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment the connection settings come from. */
    Map<String, String> environment() {
        return environment;
    }

    /** The whole command line over {@code environment}, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        final CommandLine line = new CommandLine(new LetheCommand(environment))
                .addSubcommand(new ImportCommand())
                .addSubcommand(new ExportCommand())
                .addSubcommand(new ReplayCommand())
                .addSubcommand(new CoverCommand())
                .addSubcommand(new AuditCommand())
                .addSubcommand(new PiiScanCommand(environment));
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lethe " + cmd.getCommandName() + ": " + e.getMessage());
            cmd.getErr().flush();
            return FAILED;
        });
        return line;
    }

    /** Runs {@code args} and answers the exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        final int status = commandLine(environment, out, err).execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** The version of the jar, as Maven packaged it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = LetheCommand.class.getPackage().getImplementationVersion();
            return new String[] {"lethe " + (version == null ? "(development build)" : version)};
        }
    }
}
