package dev.lethe.gateway.opendsr;

import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.Pki;
import dev.lethe.schemas.opendsr.SignatureException;
import dev.lethe.schemas.opendsr.Signatures;
import dev.lethe.schemas.opendsr.TrustedRoots;
import io.javalin.http.Context;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lethe's own OpenDSR identity: the key that signs its OpenDSR responses and the certificate that
 * proves it, served at {@code /opendsr/v1/certificate.pem}. From PEM files
 * ({@code LETHE_OPENDSR_KEY_FILE}, a PKCS#8 RSA key, and {@code LETHE_OPENDSR_CERT_FILE}); for
 * local use, a self-signed pair generated once under a directory (the standalone run's
 * {@code <data>/secrets}) or in memory, with a warning at start: the spec wants a certificate from
 * a trusted issuer, so a portal must be told to trust this one explicitly.
 */
public record Signer(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain, String domain) {

    private static final Logger LOG = LoggerFactory.getLogger(Signer.class);
    private static final Duration LOCAL_VALIDITY = Duration.ofDays(825);

    /** The pair of two PEM files. */
    public static Signer fromFiles(Path keyFile, Path certificateFile, String domain) {
        try {
            final PrivateKey key = Pki.privateKey(Files.readAllBytes(keyFile));
            final List<X509Certificate> chain = TrustedRoots.parse(Files.readAllBytes(certificateFile));
            return new Signer(key, chain.get(0), chain, domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SignatureException e) {
            throw new IllegalArgumentException("OpenDSR key or certificate: " + e.getMessage(), e);
        }
    }

    /** A self-signed pair for {@code domain}, kept in {@code dir} (reused when there), or in memory when null. */
    public static Signer local(Path dir, String domain) {
        if (dir != null) {
            final Path key = dir.resolve("opendsr.key");
            final Path certificate = dir.resolve("opendsr.crt");
            if (Files.isReadable(key) && Files.isReadable(certificate)) {
                LOG.warn("OpenDSR: signing with the self-signed certificate at {} (local use only; set "
                        + "LETHE_OPENDSR_KEY_FILE and LETHE_OPENDSR_CERT_FILE for a certificate from a trusted issuer)",
                        certificate);
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
                    + "LETHE_OPENDSR_KEY_FILE and LETHE_OPENDSR_CERT_FILE for a certificate from a trusted issuer)",
                    domain, certificate);
            return new Signer(issued.keys().getPrivate(), issued.certificate(), List.of(issued.certificate()), domain);
        }
        final Pki.Issued issued = Pki.selfSigned(domain, LOCAL_VALIDITY);
        LOG.warn("OpenDSR: signing with a self-signed certificate for {} generated in memory (local use only)", domain);
        return new Signer(issued.keys().getPrivate(), issued.certificate(), List.of(issued.certificate()), domain);
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: left as created
        }
    }

    /** Answers {@code body} (JSON) with {@code status}, signed: {@code X-OpenDSR-Processor-Domain} and {@code X-OpenDSR-Signature}. */
    public void answer(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json")
                .header(OpenDsrHeaders.DOMAIN, domain)
                .header(OpenDsrHeaders.SIGNATURE, Signatures.sign(key, body))
                .result(body);
    }

    /** The certificate chain as PEM. */
    public String pem() {
        final StringBuilder text = new StringBuilder();
        chain.forEach(c -> text.append(Pki.pem(c)));
        return text.toString();
    }
}
