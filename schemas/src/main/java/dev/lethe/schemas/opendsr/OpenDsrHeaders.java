package dev.lethe.schemas.opendsr;

import java.util.Optional;
import java.util.function.Function;

/**
 * The signature headers of OpenDSR and of its former name OpenGDPR; processors in the field send
 * either family (the spec's section 10.1 asks every party to honour both).
 */
public final class OpenDsrHeaders {

    public static final String DOMAIN = "X-OpenDSR-Processor-Domain";
    public static final String SIGNATURE = "X-OpenDSR-Signature";
    public static final String LEGACY_DOMAIN = "X-OpenGDPR-Processor-Domain";
    public static final String LEGACY_SIGNATURE = "X-OpenGDPR-Signature";

    private OpenDsrHeaders() {
    }

    /** The signature header's value in either family (OpenDSR first), if any. */
    public static Optional<String> signature(Function<String, String> header) {
        return first(header, SIGNATURE, LEGACY_SIGNATURE);
    }

    /** The processor domain header's value in either family (OpenDSR first), if any. */
    public static Optional<String> domain(Function<String, String> header) {
        return first(header, DOMAIN, LEGACY_DOMAIN);
    }

    private static Optional<String> first(Function<String, String> header, String name, String legacy) {
        final String value = header.apply(name);
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        final String old = header.apply(legacy);
        return old == null || old.isBlank() ? Optional.empty() : Optional.of(old.strip());
    }
}
