package dev.lethe.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The harness's command line: {@code [--long] [--only a,b,...] [--rounds N] [--out DIR]}.
 * {@code --only} names stages from {@code known}; an unknown option or stage name, or a round
 * count below 1, is refused with a message that says what is wrong.
 */
public record BenchArgs(boolean longRun, Set<String> only, int rounds, Path outDir, boolean help) {

    public static final String USAGE = """
            usage: java -jar bench/target/lethe-bench.jar [--long] [--only STAGE,...] [--rounds N] [--out DIR]
              --long          the longer run (bigger batches, 5 rounds, longer HTTP rounds, 5,000,000 requests to restore)
              --only          run only these stages (comma separated): %s
              --rounds N      rounds per figure (default 3, or 5 with --long)
              --out DIR       where the JSON results go (default bench-results)
            """;

    /** Parses {@code args}; stages not named by {@code --only} are all stages. */
    public static BenchArgs parse(String[] args, List<String> known) {
        boolean longRun = false;
        boolean help = false;
        Set<String> only = new LinkedHashSet<>(known);
        Integer rounds = null;
        Path out = Path.of("bench-results");
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--long")) {
                longRun = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--only")) {
                only = stages(value(args, ++i, arg), known);
            } else if (arg.equals("--rounds")) {
                rounds = roundCount(value(args, ++i, arg));
            } else if (arg.equals("--out")) {
                out = Path.of(value(args, ++i, arg));
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new BenchArgs(longRun, Set.copyOf(only), rounds != null ? rounds : (longRun ? 5 : 3), out, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static Set<String> stages(String names, List<String> known) {
        final Set<String> chosen = new LinkedHashSet<>();
        final List<String> unknown = new ArrayList<>();
        for (String name : names.split(",")) {
            final String stage = name.strip();
            if (stage.isEmpty()) {
                continue;
            }
            if (known.contains(stage)) {
                chosen.add(stage);
            } else {
                unknown.add(stage);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown stage(s) " + unknown + "; known: " + String.join(",", known));
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--only names no stage; known: " + String.join(",", known));
        }
        return chosen;
    }

    private static int roundCount(String value) {
        final int rounds;
        try {
            rounds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rounds must be a whole number, was '" + value + "'", e);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
        }
        return rounds;
    }

    public boolean runs(String stage) {
        return only.contains(stage);
    }
}
