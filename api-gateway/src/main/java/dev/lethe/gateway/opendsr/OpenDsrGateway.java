package dev.lethe.gateway.opendsr;

import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.TrustedRoots;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gateway's side of OpenDSR: the {@link Processors} it verifies callbacks against (roots from
 * {@code LETHE_OPENDSR_TRUST_FILE}, else the JDK's) and Lethe's own {@link Signer} for the inbound
 * endpoints ({@code LETHE_OPENDSR_KEY_FILE} and {@code LETHE_OPENDSR_CERT_FILE}; else a
 * self-signed pair under {@code LETHE_OPENDSR_LOCAL_DIR}, which the standalone run sets to
 * {@code <data>/secrets}, or in memory), made on first use. {@code LETHE_OPENDSR_DOMAIN} is the
 * domain Lethe signs as (default {@code localhost}).
 */
public final class OpenDsrGateway {

    public static final String KEY_FILE = "LETHE_OPENDSR_KEY_FILE";
    public static final String CERT_FILE = "LETHE_OPENDSR_CERT_FILE";
    public static final String TRUST_FILE = "LETHE_OPENDSR_TRUST_FILE";
    public static final String DOMAIN = "LETHE_OPENDSR_DOMAIN";
    public static final String LOCAL_DIR = "LETHE_OPENDSR_LOCAL_DIR";

    private final Processors processors;
    private final Supplier<Signer> signer;

    public OpenDsrGateway(Processors processors, Supplier<Signer> signer) {
        this.processors = processors;
        this.signer = memoize(signer);
    }

    /** Reads and checks the settings (the files must be readable when named); makes nothing yet. */
    public static OpenDsrGateway read(Env env) {
        final Optional<Path> key = env.readableFile(KEY_FILE);
        final Optional<Path> certificate = env.readableFile(CERT_FILE);
        if (key.isPresent() != certificate.isPresent()) {
            throw new dev.lethe.schemas.config.ConfigException(key.isPresent() ? CERT_FILE : KEY_FILE,
                    "must be set too: set both " + KEY_FILE + " and " + CERT_FILE + ", or neither");
        }
        final String domain = env.string(DOMAIN, "localhost");
        final Optional<Path> trust = env.readableFile(TRUST_FILE);
        final Optional<String> local = env.optional(LOCAL_DIR);
        final TrustedRoots roots;
        try {
            roots = trust.isPresent() ? TrustedRoots.fromPemFile(trust.get()) : TrustedRoots.jdkDefault();
        } catch (IOException e) {
            throw new dev.lethe.schemas.config.ConfigException(TRUST_FILE, e.getMessage());
        }
        return new OpenDsrGateway(processors(roots), key.isPresent()
                ? () -> Signer.fromFiles(key.get(), certificate.get(), domain)
                : () -> Signer.local(local.map(Path::of).orElse(null), domain));
    }

    /** Makes the signer now (reads the files, or generates and announces the local pair); returns this. */
    public OpenDsrGateway ready() {
        signer.get();
        return this;
    }

    /** Trusting the JDK's roots, signing with an in-memory self-signed pair for localhost (tests, defaults). */
    public static OpenDsrGateway local() {
        return new OpenDsrGateway(processors(TrustedRoots.jdkDefault()), () -> Signer.local(null, "localhost"));
    }

    public static Processors processors(TrustedRoots roots) {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new Processors(client, roots, Clock.systemUTC(), Duration.ofMinutes(60));
    }

    public Processors processors() {
        return processors;
    }

    public Signer signer() {
        return signer.get();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** Never shows a key. */
    @Override
    public String toString() {
        return "OpenDsrGateway";
    }
}
