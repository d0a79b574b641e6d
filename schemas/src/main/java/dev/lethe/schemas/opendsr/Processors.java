package dev.lethe.schemas.opendsr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.OpenDsrSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What Lethe knows of the processors it talks to: each one's discovery document and its signing
 * certificate (fetched from the document's {@code processor_certificate} URL and checked by
 * {@link TrustedRoots} against the processor's domain), cached per base URL for {@code ttl}.
 * {@link #verify} checks a signed body before anything parses it; when the cached certificate
 * does not verify it, the certificate is fetched again once (a processor may have rotated it),
 * at most once per {@link #MIN_REFRESH_INTERVAL} per processor, so unauthenticated callbacks with
 * bad signatures cannot make Lethe fetch from the processor on each one.
 */
public final class Processors {

    /** The least time between two fetches a bad signature causes, per processor. */
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final TrustedRoots roots;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Instant> badSignatureRefreshes = new ConcurrentHashMap<>();

    /** A processor as last fetched. */
    public record Known(Discovery discovery, X509Certificate certificate, String domain, Instant fetchedAt) {

        /** Lower-case hex SHA-256 of the certificate's DER encoding. */
        public String fingerprint() {
            try {
                return Signatures.sha256(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What a verified body was signed by. */
    public record Verified(String domain, String fingerprint, String signature) {
    }

    public Processors(HttpClient client, TrustedRoots roots, Clock clock, Duration ttl) {
        this.client = client;
        this.roots = roots;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The domain a processor signs as: its registered {@code domain}, else the host of its URL. */
    public static String domain(OpenDsrSettings settings) {
        return settings.getDomain() != null ? settings.getDomain() : URI.create(settings.getUrl()).getHost();
    }

    /** The processor behind {@code settings}, from the cache while it is fresh. */
    public Known get(OpenDsrSettings settings) throws SignatureException, IOException {
        final Known cached = known.get(settings.getUrl());
        if (cached != null && cached.fetchedAt().plus(ttl).isAfter(clock.instant())) {
            return cached;
        }
        return refresh(settings);
    }

    /** Fetches the discovery document and the certificate again. */
    public Known refresh(OpenDsrSettings settings) throws SignatureException, IOException {
        final String domain = domain(settings);
        final Discovery discovery = Discovery.parse(JSON.readTree(fetch(settings.getUrl() + "/discovery", settings)));
        if (!discovery.requestTypes().isEmpty() && !discovery.requestTypes().contains("erasure")) {
            throw new SignatureException("the processor does not accept erasure requests");
        }
        final List<X509Certificate> chain = TrustedRoots.parse(fetch(discovery.certificateUrl(), settings));
        final Known fresh = new Known(discovery, roots.check(chain, domain, clock.instant()), domain, clock.instant());
        known.put(settings.getUrl(), fresh);
        return fresh;
    }

    /**
     * Checks that {@code body} was signed by the processor behind {@code settings}: the domain
     * header (either family), when present, names its domain, and the signature header verifies
     * against its certificate. Throws before anything reads the body.
     */
    public Verified verify(OpenDsrSettings settings, byte[] body, Function<String, String> headers)
            throws SignatureException, IOException {
        final String expected = domain(settings);
        final String claimed = OpenDsrHeaders.domain(headers).orElse(expected);
        if (!claimed.equalsIgnoreCase(expected)) {
            throw new SignatureException("signed as " + claimed + ", not as the processor's domain " + expected);
        }
        final String signature = OpenDsrHeaders.signature(headers).orElse(null);
        Known processor = get(settings);
        try {
            Signatures.verify(processor.certificate(), body, signature);
        } catch (SignatureException first) {
            if (signature == null || !mayRefresh(settings.getUrl(), processor)) {
                throw first;
            }
            processor = refresh(settings);
            Signatures.verify(processor.certificate(), body, signature);
        }
        return new Verified(expected, processor.fingerprint(), signature.replaceAll("\\s+", ""));
    }

    /**
     * Whether a bad signature may fetch the processor again now: its certificate was fetched at
     * least {@link #MIN_REFRESH_INTERVAL} ago and no other bad signature claimed a refresh within
     * that interval (claimed atomically, so concurrent callbacks refresh once).
     */
    private boolean mayRefresh(String url, Known processor) {
        final Instant now = clock.instant();
        if (processor.fetchedAt().plus(MIN_REFRESH_INTERVAL).isAfter(now)) {
            return false;
        }
        final boolean[] claimed = {false};
        badSignatureRefreshes.compute(url, (key, last) -> {
            if (last != null && last.plus(MIN_REFRESH_INTERVAL).isAfter(now)) {
                return last;
            }
            claimed[0] = true;
            return now;
        });
        return claimed[0];
    }

    private byte[] fetch(String url, OpenDsrSettings settings) throws IOException {
        final HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(settings.getTimeoutMs()))
                    .header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL " + url, e);
        }
        try {
            final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
