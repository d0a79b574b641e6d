package dev.lethe.chaos;

import java.nio.file.Path;
import java.util.List;

/**
 * The arguments of {@code ./lethe-chaos}: which scenarios ({@code --only a,b}), the short
 * version ({@code --short}: one ledger kill, one broker kill, a 1,000-input fuzz), where the
 * results go ({@code --out}), and the load knobs.
 */
public record ChaosArgs(List<String> only, boolean shortRun, Path out, double rate, int clients, int ledgerKills,
                        int fuzzInputs, int objects, int loadSeconds, int settleSeconds) {

    public static final List<String> ALL = List.of("ledger-kill", "broker-kill", "rolling-restart", "gateway-kill",
            "s3-executor-kill", "poison", "fuzz");
    public static final List<String> SHORT = List.of("ledger-kill", "broker-kill", "fuzz");

    public static ChaosArgs parse(String... args) {
        List<String> only = null;
        boolean shortRun = false;
        Path out = Path.of("chaos", "target", "chaos-results");
        Double rate = null;
        Integer clients = null;
        Integer kills = null;
        Integer fuzz = null;
        Integer objects = null;
        Integer load = null;
        Integer settle = null;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            switch (arg) {
                case "--short" -> shortRun = true;
                case "--only" -> only = List.of(value(args, ++i, arg).split(","));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, arg));
                case "--clients" -> clients = Integer.parseInt(value(args, ++i, arg));
                case "--ledger-kills" -> kills = Integer.parseInt(value(args, ++i, arg));
                case "--fuzz" -> fuzz = Integer.parseInt(value(args, ++i, arg));
                case "--objects" -> objects = Integer.parseInt(value(args, ++i, arg));
                case "--load-seconds" -> load = Integer.parseInt(value(args, ++i, arg));
                case "--settle-seconds" -> settle = Integer.parseInt(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument " + arg + "; use --only "
                        + String.join(",", ALL) + ", --short, --out DIR, --rate R, --clients N, --ledger-kills N,"
                        + " --fuzz N, --objects N, --load-seconds S, --settle-seconds S");
            }
        }
        final List<String> scenarios = only != null ? only : shortRun ? SHORT : ALL;
        for (String scenario : scenarios) {
            if (!ALL.contains(scenario)) {
                throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + String.join(",", ALL));
            }
        }
        return new ChaosArgs(scenarios, shortRun, out, rate != null ? rate : 3.0, clients != null ? clients : 3,
                kills != null ? kills : shortRun ? 1 : 10, fuzz != null ? fuzz : shortRun ? 1_000 : 10_000,
                objects != null ? objects : shortRun ? 1_000 : 5_000, load != null ? load : shortRun ? 10 : 30,
                settle != null ? settle : shortRun ? 150 : 300);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }
}
