package dev.lethe.schemas.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one reader of configuration: every module reads its environment variables through it, so
 * that a missing, blank or malformed value always fails with a {@link ConfigException} that names
 * the variable and says what is wrong, before anything starts.
 *
 * <p>Rules, the same for every variable: an unset variable takes its documented default (or is
 * an error when it is required); a variable that is set must have a value, so a blank one is an
 * error rather than a silent default; values are stripped of surrounding white space. A secret's
 * value never appears in a message.
 *
 * <p>A process that writes some files itself just before it starts (the standalone run's
 * generated secrets) can read its settings first with {@link #withPlannedFiles}: those files count
 * as present with the given content.
 */
public final class Env {

    private final Map<String, String> values;
    private final Map<Path, String> planned;

    private Env(Map<String, String> values, Map<Path, String> planned) {
        this.values = values;
        this.planned = planned;
    }

    /** The variables in {@code values} (typically {@code System.getenv()}). */
    public static Env of(Map<String, String> values) {
        return new Env(Map.copyOf(values), Map.of());
    }

    /** This environment, where each file of {@code files} counts as present with its content. */
    public Env withPlannedFiles(Map<Path, String> files) {
        final Map<Path, String> all = new HashMap<>(planned);
        files.forEach((file, content) -> all.put(file.toAbsolutePath().normalize(), content));
        return new Env(values, Map.copyOf(all));
    }

    /** Whether {@code file} counts as present because it is planned ({@link #withPlannedFiles}). */
    public boolean plans(Path file) {
        return planned.containsKey(file.toAbsolutePath().normalize());
    }

    /** The value of {@code name}, stripped; empty when unset. */
    public Optional<String> optional(String name) {
        final String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new ConfigException(name, "is set but empty; give it a value or unset it");
        }
        return Optional.of(value.strip());
    }

    /** Whether {@code name} is set (to anything, even blank). */
    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** The value of a variable that must be set; {@code hint} says what it holds. */
    public String required(String name, String hint) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "must be set (" + hint + ")"));
    }

    /** A whole number in {@code min..max}. */
    public long number(String name, long fallback, long min, long max) {
        final Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return fallback;
        }
        final long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number, got '" + text.get() + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** A whole number in {@code min..max}, as an int. */
    public int integer(String name, int fallback, int min, int max) {
        return (int) number(name, fallback, min, max);
    }

    /** A TCP port, from {@code min} (0 lets the system choose, where allowed) to 65535. */
    public int port(String name, int fallback, int min) {
        return integer(name, fallback, min, 65_535);
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String name, boolean fallback) {
        final Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return fallback;
        }
        if (text.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (text.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(name, "must be true or false, got '" + text.get() + "'");
    }

    /** A duration counted in {@code unit} (the unit the variable's name says), at least {@code min}. */
    public Duration duration(String name, ChronoUnit unit, long fallback, long min) {
        final long amount = number(name, fallback, min, Long.MAX_VALUE);
        try {
            return Duration.of(amount, unit);
        } catch (ArithmeticException e) {
            throw new ConfigException(name, "is too large, got " + amount);
        }
    }

    /** A positive ISO-8601 period such as {@code P30D} or {@code P1M}. */
    public Period period(String name, Period fallback) {
        return optional(name).map(text -> positivePeriod(name, "", text)).orElse(fallback);
    }

    /** A positive ISO-8601 period, {@code what} saying which part of {@code name} it is (for the message). */
    public static Period positivePeriod(String name, String what, String text) {
        final String where = what.isEmpty() ? "" : " for " + what;
        final Period period;
        try {
            period = Period.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, "'" + text.strip() + "'" + where
                    + " is not an ISO-8601 period such as P1M or P45D");
        }
        if (period.isNegative() || period.isZero()) {
            throw new ConfigException(name, "the period" + where + " must be positive, got " + text.strip());
        }
        return period;
    }

    /** A comma-separated list, items stripped, empty items and repeats dropped; it must name at least one. */
    public List<String> list(String name, List<String> fallback) {
        final Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return fallback;
        }
        final List<String> items = Arrays.stream(text.get().split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (items.isEmpty()) {
            throw new ConfigException(name, "must name at least one item, comma separated");
        }
        return items;
    }

    /** A value turned into {@code T} by {@code parser}, whose {@link IllegalArgumentException} names the problem. */
    public <T> T parsed(String name, T fallback, Function<String, T> parser) {
        final Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(text.get());
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, String.valueOf(e.getMessage()));
        }
    }

    /** A path, which need not exist. */
    public Path path(String name, String fallback) {
        final String text = string(name, fallback);
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(name, "is not a valid path: " + e.getReason());
        }
    }

    /** A file that must exist and be readable, when the variable is set. */
    public Optional<Path> readableFile(String name) {
        if (optional(name).isEmpty()) {
            return Optional.empty();
        }
        final Path file = path(name, null);
        if (planned.containsKey(file.toAbsolutePath().normalize())) {
            return Optional.of(file);
        }
        if (!Files.exists(file)) {
            throw new ConfigException(name, "no file at " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(name, file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(name, "cannot read " + file + " (permissions)");
        }
        return Optional.of(file);
    }

    /** The text of the readable file named by {@code name}, when set. */
    public Optional<String> fileText(String name) {
        return readableFile(name).map(file -> {
            final String content = planned.get(file.toAbsolutePath().normalize());
            if (content != null) {
                return content;
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(name, "cannot read " + file + ": " + e.getClass().getSimpleName());
            }
        });
    }

    /**
     * A secret from the file named by {@code fileVariable} or inline in {@code inlineVariable}
     * (one of them, not both), at least {@code minBytes} long in UTF-8; empty when neither is set.
     */
    public Optional<Secret> secret(String fileVariable, String inlineVariable, int minBytes) {
        if (optional(fileVariable).isPresent() && optional(inlineVariable).isPresent()) {
            throw new ConfigException(fileVariable, "set it or " + inlineVariable + ", not both");
        }
        final Optional<String> inFile = fileText(fileVariable);
        final String variable = inFile.isPresent() ? fileVariable : inlineVariable;
        return inFile.or(() -> optional(inlineVariable)).map(text -> {
            final Secret secret = Secret.of(text);
            final String where = inFile.isPresent() ? "the secret in " + path(fileVariable, null) : "the secret";
            if (secret.bytes().length == 0) {
                throw new ConfigException(variable, where + " is empty");
            }
            if (secret.bytes().length < minBytes) {
                throw new ConfigException(variable, where + " is " + secret.bytes().length + " bytes; at least "
                        + minBytes + " are needed");
            }
            return secret;
        });
    }

    /** A secret that must be set ({@link #secret}); {@code hint} says how to make one. */
    public Secret requiredSecret(String fileVariable, String inlineVariable, int minBytes, String hint) {
        return secret(fileVariable, inlineVariable, minBytes).orElseThrow(() -> new ConfigException(fileVariable,
                "must be set, or " + inlineVariable + " (" + hint + ")"));
    }

    /** An absolute http or https URL with a host. */
    public Optional<URI> url(String name) {
        return optional(name).map(text -> checkedUrl(name, text));
    }

    /** A comma-separated list of http(s) URLs ({@link #list}), each checked as {@link #url(String)} checks one. */
    public List<URI> urls(String name, String fallback) {
        return list(name, List.of(fallback)).stream().map(text -> checkedUrl(name, text)).toList();
    }

    private static URI checkedUrl(String name, String text) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(name, "is not a URL: " + e.getReason());
        }
        final String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new ConfigException(name, "must be an http(s) URL with a host, got '" + text + "'");
        }
        return uri;
    }

    /** An http(s) URL that must be set. */
    public URI requiredUrl(String name, String hint) {
        return url(name).orElseThrow(() -> new ConfigException(name, "must be set (" + hint + ")"));
    }

    /** An http(s) URL with a default. */
    public URI url(String name, String fallback) {
        return url(name).orElseGet(() -> URI.create(fallback));
    }
}
