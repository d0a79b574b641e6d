package dev.lethe.schemas.config;

/**
 * A setting that is missing, blank or malformed. Its message is one line that starts with the
 * variable's name and says what is wrong, e.g. {@code LETHE_PARTITIONS: must be a whole number,
 * got 'six'}; it never holds a secret's value. A main prints it as
 * {@code lethe: configuration error: <message>} and exits with {@link #EXIT_STATUS}
 * ({@link StartupCheck}).
 */
public final class ConfigException extends IllegalArgumentException {

    /** The exit status of a process that stopped on a configuration error. */
    public static final int EXIT_STATUS = 2;

    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + oneLine(problem));
        this.variable = variable;
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
