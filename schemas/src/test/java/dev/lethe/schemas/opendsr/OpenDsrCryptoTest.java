package dev.lethe.schemas.opendsr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenDsrCryptoTest {

    private static final Pki.Issued CA = Pki.root("Lethe Test CA", Duration.ofDays(30));
    private static final Pki.Issued PROCESSOR = Pki.issue(CA, "processor.test", Instant.now(), Duration.ofDays(10));
    private static final byte[] BODY = "{\"request_status\":\"completed\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldVerifyABodySignedWithTheCertificatesKey() {
        final String signature = Signatures.sign(PROCESSOR.keys().getPrivate(), BODY);

        assertDoesNotThrow(() -> Signatures.verify(PROCESSOR.certificate(), BODY, signature));
    }

    @Test
    void shouldAcceptASignatureWrappedOverSeveralLines() {
        final String signature = Signatures.sign(PROCESSOR.keys().getPrivate(), BODY);
        final String wrapped = signature.substring(0, 80) + "\n" + signature.substring(80);

        assertDoesNotThrow(() -> Signatures.verify(PROCESSOR.certificate(), BODY, wrapped));
    }

    @Test
    void refusesATamperedBodyAnotherKeysSignatureAndNoSignature() {
        final String signature = Signatures.sign(PROCESSOR.keys().getPrivate(), BODY);
        final byte[] tampered = "{\"request_status\":\"cancelled\"}".getBytes(StandardCharsets.UTF_8);
        final String forged = Signatures.sign(Pki.rsa().getPrivate(), BODY);

        assertThrows(SignatureException.class, () -> Signatures.verify(PROCESSOR.certificate(), tampered, signature));
        assertThrows(SignatureException.class, () -> Signatures.verify(PROCESSOR.certificate(), BODY, forged));
        assertThrows(SignatureException.class, () -> Signatures.verify(PROCESSOR.certificate(), BODY, null));
        assertThrows(SignatureException.class, () -> Signatures.verify(PROCESSOR.certificate(), BODY, "%%%"));
    }

    @Test
    void shouldTrustACertificateIssuedByATrustedRootToTheDomain() throws Exception {
        final TrustedRoots roots = TrustedRoots.of(List.of(CA.certificate()));

        assertEquals(PROCESSOR.certificate(), roots.check(List.of(PROCESSOR.certificate()), "processor.test",
                Instant.now()));
        assertEquals(PROCESSOR.certificate(), roots.check(
                TrustedRoots.parse(Pki.pem(PROCESSOR.certificate()).getBytes(StandardCharsets.US_ASCII)),
                "PROCESSOR.test", Instant.now()));
    }

    @Test
    void refusesAnotherDomainAnExpiredCertificateAnUntrustedIssuerAndASelfSignedOne() {
        final TrustedRoots roots = TrustedRoots.of(List.of(CA.certificate()));
        final Pki.Issued expired = Pki.issue(CA, "processor.test", Instant.now().minus(Duration.ofDays(20)),
                Duration.ofDays(10));
        final Pki.Issued stranger = Pki.issue(Pki.root("Other CA", Duration.ofDays(30)), "processor.test",
                Instant.now(), Duration.ofDays(10));
        final Pki.Issued self = Pki.selfSigned("processor.test", Duration.ofDays(10));

        assertTrue(assertThrows(SignatureException.class, () -> roots.check(List.of(PROCESSOR.certificate()),
                "evil.test", Instant.now())).getMessage().contains("not issued to evil.test"));
        assertTrue(assertThrows(SignatureException.class, () -> roots.check(List.of(expired.certificate()),
                "processor.test", Instant.now())).getMessage().contains("expired"));
        assertTrue(assertThrows(SignatureException.class, () -> roots.check(List.of(stranger.certificate()),
                "processor.test", Instant.now())).getMessage().contains("trusted root"));
        assertThrows(SignatureException.class, () -> roots.check(List.of(self.certificate()), "processor.test",
                Instant.now()));
    }

    @Test
    void shouldReadItsOwnPemPrivateKey() throws Exception {
        final var key = Pki.privateKey(Pki.pem(PROCESSOR.keys().getPrivate()).getBytes(StandardCharsets.US_ASCII));
        final String signature = Signatures.sign(key, BODY);

        assertDoesNotThrow(() -> Signatures.verify(PROCESSOR.certificate(), BODY, signature));
    }

    @Test
    void shouldHashIdentitiesInTheFormatAsked() {
        assertEquals(" Jane@Example.com", Identities.encode("email", "raw", " Jane@Example.com"));
        assertEquals("8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d",
                Identities.encode("email", "sha256", " Jane@Example.com"));
        assertEquals(Identities.encode("email", "sha256", "jane@example.com"),
                Identities.encode("email", "sha256", "JANE@example.com "));
        assertEquals("5d41402abc4b2a76b9719d911017c592", Identities.encode("controller_customer_id", "md5", "hello"));
        assertEquals("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
                Identities.encode("controller_customer_id", "sha1", "hello"));
        assertNotEquals(Identities.encode("controller_customer_id", "sha1", "Hello"),
                Identities.encode("controller_customer_id", "sha1", "hello"));
    }

    @Test
    void shouldGiveOneStableVersion4SubjectRequestIdPerRequestAndSystem() {
        final String id = SubjectRequestIds.of("req-1", "analytics");

        assertEquals(id, SubjectRequestIds.of("req-1", "analytics"));
        assertNotEquals(id, SubjectRequestIds.of("req-1", "messaging"));
        assertNotEquals(id, SubjectRequestIds.of("req-2", "analytics"));
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
    }

    @Test
    void shouldReadEitherHeaderFamily() {
        final Map<String, String> legacy = Map.of(OpenDsrHeaders.LEGACY_SIGNATURE, "abc",
                OpenDsrHeaders.LEGACY_DOMAIN, "processor.test");
        final Map<String, String> both = Map.of(OpenDsrHeaders.SIGNATURE, "new", OpenDsrHeaders.LEGACY_SIGNATURE, "old");

        assertEquals("abc", OpenDsrHeaders.signature(legacy::get).orElseThrow());
        assertEquals("processor.test", OpenDsrHeaders.domain(legacy::get).orElseThrow());
        assertEquals("new", OpenDsrHeaders.signature(both::get).orElseThrow());
    }
}
