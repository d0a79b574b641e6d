package dev.lethe.ledger;

/** Runs one streams-app instance from environment variables until the JVM is asked to stop. */
public final class LedgerMain {

    private LedgerMain() {
    }

    public static void main(String[] args) {
        final LedgerApp app = LedgerApp.start(LedgerConfig.fromEnvironment(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "lethe-ledger-shutdown"));
    }
}
