package dev.lethe.ledger.executor.opendsr;

import dev.lethe.schemas.config.Env;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Settings of the {@code opendsr} executor, read from the environment:
 * {@code LETHE_OPENDSR_CALLBACK_URL} (the gateway's public base URL as processors reach it; the
 * status callback of each filing is {@code <base>/opendsr/v1/callbacks/<system>/<request id>};
 * without it requests are filed without a callback and only polled),
 * {@code LETHE_OPENDSR_TRUST_FILE} (PEM roots a processor's certificate must chain to; default the
 * JDK's trust store) and {@code LETHE_OPENDSR_DISCOVERY_TTL_MINUTES} (how long a processor's
 * discovery document and certificate are cached, default 60).
 */
public record OpenDsrConfig(Optional<URI> callbackBase, Optional<Path> trustFile, Duration discoveryTtl) {

    public static final String CALLBACK_URL = "LETHE_OPENDSR_CALLBACK_URL";
    public static final String TRUST_FILE = "LETHE_OPENDSR_TRUST_FILE";
    /** The path of the gateway's callback route under the base URL. */
    public static final String CALLBACK_PATH = "/opendsr/v1/callbacks/";

    public static OpenDsrConfig read(Env env) {
        return new OpenDsrConfig(env.url(CALLBACK_URL), env.readableFile(TRUST_FILE),
                env.duration("LETHE_OPENDSR_DISCOVERY_TTL_MINUTES", ChronoUnit.MINUTES, 60, 1));
    }

    /** The status callback URL of one filing, when a base is configured. */
    public Optional<String> callbackUrl(String system, String requestId) {
        return callbackBase.map(base -> {
            final String text = base.toString();
            return (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + CALLBACK_PATH + system + "/"
                    + requestId;
        });
    }
}
