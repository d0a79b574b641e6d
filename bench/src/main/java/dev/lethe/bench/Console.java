package dev.lethe.bench;

/** Progress lines on stderr, so that stdout carries only the result table. */
final class Console {

    private Console() {
    }

    static void progress(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }
}
