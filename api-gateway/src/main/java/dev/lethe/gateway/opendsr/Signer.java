package dev.lethe.gateway.opendsr;

import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.SigningPair;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Lethe's own OpenDSR identity as the gateway uses it: the {@link SigningPair} (shared with the
 * status-callback sender) that signs its OpenDSR responses, and the certificate that proves it,
 * served at {@code /opendsr/v1/certificate.pem}.
 */
public record Signer(SigningPair pair) {

    public Signer(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain, String domain) {
        this(new SigningPair(key, certificate, chain, domain));
    }

    /** The pair of two PEM files. */
    public static Signer fromFiles(Path keyFile, Path certificateFile, String domain) {
        return new Signer(SigningPair.fromFiles(keyFile, certificateFile, domain));
    }

    /** A self-signed pair for {@code domain}, kept in {@code dir} (reused when there), or in memory when null. */
    public static Signer local(Path dir, String domain) {
        return new Signer(SigningPair.local(dir, domain));
    }

    public PrivateKey key() {
        return pair.key();
    }

    public X509Certificate certificate() {
        return pair.certificate();
    }

    public String domain() {
        return pair.domain();
    }

    /** Answers {@code body} (JSON) with {@code status}, signed: {@code X-OpenDSR-Processor-Domain} and {@code X-OpenDSR-Signature}. */
    public void answer(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json")
                .header(OpenDsrHeaders.DOMAIN, pair.domain())
                .header(OpenDsrHeaders.SIGNATURE, pair.sign(body))
                .result(body);
    }

    /** The certificate chain as PEM. */
    public String pem() {
        return pair.pem();
    }
}
