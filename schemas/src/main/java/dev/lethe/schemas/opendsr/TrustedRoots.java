package dev.lethe.schemas.opendsr;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The roots a processor's signing certificate must chain to: the certificates of a PEM file
 * ({@code LETHE_OPENDSR_TRUST_FILE}) or, without one, the JDK's default trust store. {@link #check}
 * validates a certificate chain as served at a processor's {@code processor_certificate} URL
 * (leaf first, then any intermediates) with PKIX at a given time, and requires the leaf to be
 * issued to the processor's domain (a DNS name in its subject alternative names, wildcards for
 * one label, or its common name when it has none). Self-signed leaves are refused unless they
 * are themselves a trusted root (spec section 4.1 forbids them).
 */
public final class TrustedRoots {

    private final Set<TrustAnchor> anchors;

    private TrustedRoots(Set<TrustAnchor> anchors) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no trusted root certificates");
        }
        this.anchors = anchors;
    }

    public static TrustedRoots of(Collection<X509Certificate> roots) {
        return new TrustedRoots(roots.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet()));
    }

    /** The certificates of a PEM file. */
    public static TrustedRoots fromPemFile(Path file) throws IOException {
        try {
            return of(parse(Files.readAllBytes(file)));
        } catch (SignatureException e) {
            throw new IOException("cannot read trusted roots from " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's default trust store (cacerts). */
    public static TrustedRoots jdkDefault() {
        try {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return of(List.of(x509.getAcceptedIssuers()));
                }
            }
            throw new IllegalStateException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's trust store", e);
        }
    }

    /** Every certificate in {@code pem} (PEM or DER), in order. */
    public static List<X509Certificate> parse(byte[] pem) throws SignatureException {
        try {
            final Collection<? extends java.security.cert.Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            final List<X509Certificate> chain = certificates.stream().map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new SignatureException("no certificate found");
            }
            return chain;
        } catch (CertificateException e) {
            throw new SignatureException("not a certificate: " + e.getMessage(), e);
        }
    }

    /** The leaf of {@code chain} once it is trusted at {@code now} and issued to {@code domain}. */
    public X509Certificate check(List<X509Certificate> chain, String domain, Instant now) throws SignatureException {
        final X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new SignatureException("the processor certificate expired on " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new SignatureException("the processor certificate is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        if (!issuedTo(leaf, domain)) {
            throw new SignatureException("the processor certificate is not issued to " + domain);
        }
        try {
            final PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            final var path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            return leaf;
        } catch (CertPathValidatorException e) {
            throw new SignatureException("the processor certificate does not chain to a trusted root", e);
        } catch (GeneralSecurityException e) {
            throw new SignatureException("cannot validate the processor certificate: " + e.getMessage(), e);
        }
    }

    static boolean issuedTo(X509Certificate certificate, String domain) throws SignatureException {
        final String wanted = domain.toLowerCase(Locale.ROOT);
        final Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new SignatureException("the processor certificate's names cannot be read", e);
        }
        if (names != null) {
            boolean anyDns = false;
            for (List<?> name : names) {
                if (Integer.valueOf(2).equals(name.get(0))) {
                    anyDns = true;
                    if (matches(String.valueOf(name.get(1)).toLowerCase(Locale.ROOT), wanted)) {
                        return true;
                    }
                }
            }
            if (anyDns) {
                return false;
            }
        }
        final String subject = certificate.getSubjectX500Principal().getName();
        for (String part : subject.split(",")) {
            if (part.startsWith("CN=") && matches(part.substring(3).toLowerCase(Locale.ROOT), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String domain) {
        if (pattern.startsWith("*.")) {
            final int dot = domain.indexOf('.');
            return dot > 0 && domain.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(domain);
    }
}
