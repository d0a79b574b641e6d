package dev.lethe.schemas.opendsr;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lethe's own OpenDSR identity: the key that signs what Lethe sends as a processor (the gateway's
 * answers to a portal, the status callbacks to a portal) and the certificate that proves it. From
 * PEM files ({@code LETHE_OPENDSR_KEY_FILE}, a PKCS#8 RSA key, and {@code LETHE_OPENDSR_CERT_FILE});
 * for local use, a self-signed pair generated once under a directory ({@code LETHE_OPENDSR_LOCAL_DIR},
 * the standalone run's {@code <data>/secrets}) or in memory, with a warning: the spec wants a
 * certificate from a trusted issuer, so a portal must be told to trust this one explicitly.
 * Whatever signs (every gateway replica, the callback sender) must share one pair.
 */
public record SigningPair(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain, String domain) {

    public static final String KEY_FILE = "LETHE_OPENDSR_KEY_FILE";
    public static final String CERT_FILE = "LETHE_OPENDSR_CERT_FILE";
    public static final String DOMAIN = "LETHE_OPENDSR_DOMAIN";
    public static final String LOCAL_DIR = "LETHE_OPENDSR_LOCAL_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(SigningPair.class);
    private static final Duration LOCAL_VALIDITY = Duration.ofDays(825);
    /** The gateway and the callback sender of one process may both make the local pair first. */
    private static final Object LOCAL_LOCK = new Object();

    public SigningPair {
        chain = List.copyOf(chain);
    }

    /**
     * Reads and checks the settings (both files or neither; readable when named) and answers how to
     * make the pair, on first use: from the files, or the local self-signed pair. Both files named
     * but neither there (the manifests mount them from an optional Secret) counts as not given, unless
     * {@code LETHE_OPENDSR_PORTAL_HOSTS} is set: then replicas would sign with different pairs, so it
     * is refused.
     */
    public static Supplier<SigningPair> read(Env env) {
        final String domain = env.string(DOMAIN, "localhost");
        final Optional<String> local = env.optional(LOCAL_DIR);
        if (missing(env, KEY_FILE) && missing(env, CERT_FILE)) {
            // the manifests name the files of an optional Secret: not given is "no shared pair"
            if (env.optional(PortalHosts.VARIABLE).isPresent()) {
                throw new ConfigException(KEY_FILE, "no file at " + env.optional(KEY_FILE).orElseThrow()
                        + ": with " + PortalHosts.VARIABLE + " set, every replica and ledger must sign with the one"
                        + " shared pair (the keys opendsr-key and opendsr-cert of the Secret lethe-opendsr;"
                        + " docs/opendsr.md)");
            }
            LOG.warn("OpenDSR: {} and {} name no file (no shared signing pair given): signing with a pair of this"
                    + " instance only; give the shared pair before setting {}", KEY_FILE, CERT_FILE,
                    PortalHosts.VARIABLE);
            return () -> local(local.map(Path::of).orElse(null), domain);
        }
        final Optional<Path> key = env.readableFile(KEY_FILE);
        final Optional<Path> certificate = env.readableFile(CERT_FILE);
        if (key.isPresent() != certificate.isPresent()) {
            throw new ConfigException(key.isPresent() ? CERT_FILE : KEY_FILE,
                    "must be set too: set both " + KEY_FILE + " and " + CERT_FILE + ", or neither");
        }
        return key.isPresent() ? () -> fromFiles(key.get(), certificate.get(), domain)
                : () -> local(local.map(Path::of).orElse(null), domain);
    }

    /** {@code name} is set and names a path where there is nothing (an optional Secret not given). */
    private static boolean missing(Env env, String name) {
        return env.optional(name).map(value -> !Files.exists(Path.of(value))).orElse(false)
                && !env.plans(Path.of(env.optional(name).orElseThrow()));
    }

    /** The pair of two PEM files. */
    public static SigningPair fromFiles(Path keyFile, Path certificateFile, String domain) {
        try {
            final PrivateKey key = Pki.privateKey(Files.readAllBytes(keyFile));
            final List<X509Certificate> chain = TrustedRoots.parse(Files.readAllBytes(certificateFile));
            return new SigningPair(key, chain.get(0), chain, domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SignatureException e) {
            throw new IllegalArgumentException("OpenDSR key or certificate: " + e.getMessage(), e);
        }
    }

    /** A self-signed pair for {@code domain}, kept in {@code dir} (reused when there), or in memory when null. */
    public static SigningPair local(Path dir, String domain) {
        if (dir == null) {
            final Pki.Issued issued = Pki.selfSigned(domain, LOCAL_VALIDITY);
            LOG.warn("OpenDSR: signing with a self-signed certificate for {} generated in memory (local use only)",
                    domain);
            return new SigningPair(issued.keys().getPrivate(), issued.certificate(), List.of(issued.certificate()),
                    domain);
        }
        synchronized (LOCAL_LOCK) {
            final Path key = dir.resolve("opendsr.key");
            final Path certificate = dir.resolve("opendsr.crt");
            if (Files.isReadable(key) && Files.isReadable(certificate)) {
                LOG.warn("OpenDSR: signing with the self-signed certificate at {} (local use only; set "
                        + KEY_FILE + " and " + CERT_FILE + " for a certificate from a trusted issuer)", certificate);
                return fromFiles(key, certificate, domain);
            }
            final Pki.Issued issued = Pki.selfSigned(domain, LOCAL_VALIDITY);
            try {
                Files.createDirectories(dir);
                Files.writeString(key, Pki.pem(issued.keys().getPrivate()), StandardCharsets.US_ASCII);
                ownerOnly(key);
                Files.writeString(certificate, Pki.pem(issued.certificate()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOG.warn("OpenDSR: generated a self-signed signing certificate for {} at {} (local use only; set "
                    + KEY_FILE + " and " + CERT_FILE + " for a certificate from a trusted issuer)", domain,
                    certificate);
            return new SigningPair(issued.keys().getPrivate(), issued.certificate(), List.of(issued.certificate()),
                    domain);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: left as created
        }
    }

    /** The Base64 RSA SHA-256 signature of {@code body}, for {@link OpenDsrHeaders#SIGNATURE}. */
    public String sign(byte[] body) {
        return Signatures.sign(key, body);
    }

    /** The certificate chain as PEM. */
    public String pem() {
        final StringBuilder text = new StringBuilder();
        chain.forEach(c -> text.append(Pki.pem(c)));
        return text.toString();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "SigningPair[" + domain + "]";
    }
}
