package dev.lethe.schemas.opendsr;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * RSA key pairs and X.509 certificates for OpenDSR signing, made with Bouncy Castle: a root (CA)
 * certificate, a certificate a root issues to a domain, a self-signed one for local use, and PEM
 * in and out. Needs {@code bcpkix-jdk18on} on the class path (an optional dependency of this
 * module); reading a PKCS#8 PEM key needs only the JDK.
 */
public final class Pki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {
    }

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    public static KeyPair rsa() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A root certificate named {@code name}, valid from now for {@code validity}. */
    public static Issued root(String name, Duration validity) {
        final KeyPair keys = rsa();
        final X500Name subject = new X500Name("CN=" + name);
        return new Issued(keys, build(subject, keys, subject, keys.getPrivate(), true, null, Instant.now(), validity));
    }

    /** A certificate for {@code domain} issued by {@code issuer}, valid from {@code from} for {@code validity}. */
    public static Issued issue(Issued issuer, String domain, Instant from, Duration validity) {
        final KeyPair keys = rsa();
        return new Issued(keys, build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                keys, new X500Name("CN=" + domain), issuer.keys().getPrivate(), false, domain, from, validity));
    }

    /** A self-signed certificate for {@code domain} (local use only: the spec wants a trusted issuer). */
    public static Issued selfSigned(String domain, Duration validity) {
        final KeyPair keys = rsa();
        final X500Name subject = new X500Name("CN=" + domain);
        return new Issued(keys, build(subject, keys, subject, keys.getPrivate(), false, domain, Instant.now(), validity));
    }

    private static X509Certificate build(X500Name issuer, KeyPair keys, X500Name subject, PrivateKey signer,
                                         boolean ca, String domain, Instant from, Duration validity) {
        try {
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).abs().add(BigInteger.ONE), Date.from(from.minusSeconds(60)),
                    Date.from(from.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            if (domain != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(Signatures.ALGORITHM).build(signer)));
        } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
        }
    }

    /** {@code object} (a certificate or a private key) as PEM. */
    public static String pem(Object object) {
        final StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()) : object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** An RSA private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}); JDK only. */
    public static PrivateKey privateKey(byte[] pem) throws SignatureException {
        final String text = new String(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new SignatureException("not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        final String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SignatureException("not an RSA private key", e);
        }
    }
}
