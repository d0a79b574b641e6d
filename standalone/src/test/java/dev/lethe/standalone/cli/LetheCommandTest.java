package dev.lethe.standalone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root command: its subcommands, its exit statuses, and what it says when Lethe is not there. */
class LetheCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return LetheCommand.run(args, env, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void shouldListEverySubcommandInItsHelp() {
        assertEquals(0, run(Map.of(), "--help"));

        for (String command : List.of("import", "export", "replay", "cover", "audit", "pii-scan")) {
            assertTrue(out.toString().contains("  " + command + " "), out.toString());
        }
    }

    @Test
    void refusesAnUnknownSubcommandOrAMissingRequiredOptionWithTheUsageStatus() {
        assertEquals(2, run(Map.of(), "forget-everything"));
        assertEquals(2, run(Map.of(), "replay", "--system", "billing"));
        assertTrue(err.toString().contains("--since"), err.toString());
    }

    @Test
    void shouldSayWhereItLookedWhenLetheDoesNotAnswer() throws Exception {
        final Path csv = Files.writeString(dir.resolve("a.csv"), "user_id\nu-1\n");

        final int status = run(Map.of("LETHE_URL", "http://127.0.0.1:1", "LETHE_TOKEN", "t"), "import", csv.toString(),
                "--jurisdiction", "GDPR", "--reason", "r", "--source", "s");

        assertEquals(LetheCommand.FAILED, status);
        assertTrue(err.toString().contains("cannot reach Lethe at http://127.0.0.1:1"), err.toString());
    }
}
