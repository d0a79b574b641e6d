package dev.lethe.ledger.executor;

import dev.lethe.avro.SystemMode;
import java.util.Locale;

/** The built-in executors: which registration mode each serves and how it signs its callbacks. */
public enum ExecutorKind {
    S3(SystemMode.S3),
    HTTP(SystemMode.HTTP),
    OPENDSR(SystemMode.OPENDSR),
    SQL(SystemMode.SQL);

    private final SystemMode mode;

    ExecutorKind(SystemMode mode) {
        this.mode = mode;
    }

    public SystemMode mode() {
        return mode;
    }

    /** The lower-case name used in configuration, group ids and actors ({@code s3}, {@code http}, {@code sql}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The actor written on every callback of this executor, e.g. {@code executor:s3}. */
    public String actor() {
        return "executor:" + id();
    }

    public static ExecutorKind parse(String text) {
        for (ExecutorKind kind : values()) {
            if (kind.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown executor '" + text.trim() + "' (known: s3, http, opendsr, sql)");
    }
}
