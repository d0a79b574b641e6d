package dev.lethe.gateway.opendsr;

import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.opendsr.PortalHosts;
import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.SigningPair;
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
 * domain Lethe signs as (default {@code localhost}). {@code LETHE_OPENDSR_PORTAL_HOSTS} lists the
 * hosts a portal's {@code status_callback_urls} may name ({@link PortalHosts}).
 */
public final class OpenDsrGateway {

    public static final String KEY_FILE = SigningPair.KEY_FILE;
    public static final String CERT_FILE = SigningPair.CERT_FILE;
    public static final String TRUST_FILE = "LETHE_OPENDSR_TRUST_FILE";
    public static final String DOMAIN = SigningPair.DOMAIN;
    public static final String LOCAL_DIR = SigningPair.LOCAL_DIR;

    private final Processors processors;
    private final Supplier<Signer> signer;
    private final PortalHosts portalHosts;

    public OpenDsrGateway(Processors processors, Supplier<Signer> signer) {
        this(processors, signer, PortalHosts.none());
    }

    /** {@code portalHosts}: the hosts a portal's {@code status_callback_urls} may name. */
    public OpenDsrGateway(Processors processors, Supplier<Signer> signer, PortalHosts portalHosts) {
        this.processors = processors;
        this.signer = memoize(signer);
        this.portalHosts = portalHosts;
    }

    /** Reads and checks the settings (the files must be readable when named); makes nothing yet. */
    public static OpenDsrGateway read(Env env) {
        final Supplier<SigningPair> pair = SigningPair.read(env);
        final Optional<Path> trust = env.readableFile(TRUST_FILE);
        final TrustedRoots roots;
        try {
            roots = trust.isPresent() ? TrustedRoots.fromPemFile(trust.get()) : TrustedRoots.jdkDefault();
        } catch (IOException e) {
            throw new dev.lethe.schemas.config.ConfigException(TRUST_FILE, e.getMessage());
        }
        return new OpenDsrGateway(processors(roots), () -> new Signer(pair.get()), PortalHosts.read(env));
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

    public PortalHosts portalHosts() {
        return portalHosts;
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
