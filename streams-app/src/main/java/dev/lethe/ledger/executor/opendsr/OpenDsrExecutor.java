package dev.lethe.ledger.executor.opendsr;

import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.TrustedRoots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Builds the {@code opendsr} executor's eraser from its settings. */
public final class OpenDsrExecutor {

    private OpenDsrExecutor() {
    }

    public static OpenDsrEraser eraser(OpenDsrConfig config, Duration retryBase) {
        final TrustedRoots roots;
        try {
            roots = config.trustFile().isPresent() ? TrustedRoots.fromPemFile(config.trustFile().get())
                    : TrustedRoots.jdkDefault();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new OpenDsrEraser(client, new Processors(client, roots, Clock.systemUTC(), config.discoveryTtl()),
                config, retryBase);
    }
}
