package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.http.Json;
import dev.lethe.gateway.http.Text;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shapes of object reference a request's {@code objects} may hold: those the S3 executor
 * reads ({@code streams-app/.../executor/s3/ReferenceParser}) and no other. An {@code s3://bucket/key}
 * URI; an {@code http(s)://host/path} URL of a named host (an S3 endpoint or a CDN domain; no user
 * part, and not a loopback, link-local, unspecified or cloud-metadata address); a bucket + key pair
 * as a JSON string; {@code manifest:} before any of these. Anything else ({@code file:}, another
 * scheme, a bare path) is refused, as is a control character anywhere.
 */
final class ObjectReferences {

    static final String MANIFEST = "manifest:";
    private static final Pattern URL = Pattern.compile("^https?://([^/?#@]+)(/[^?#]*)?([?#].*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST_NAME = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}$");
    private static final Set<String> METADATA_HOSTS = Set.of("localhost", "metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    private ObjectReferences() {
    }

    /** What is wrong with {@code reference}, or null when the S3 executor can read it. */
    static String problem(String reference) {
        if (Text.problemInValue(reference) != null) {
            return Text.problemInValue(reference);
        }
        final String text = reference.strip();
        if (text.startsWith(MANIFEST)) {
            final String inner = text.substring(MANIFEST.length()).strip();
            return inner.startsWith(MANIFEST) ? "a manifest may not name another manifest" : shape(inner);
        }
        return shape(text);
    }

    private static String shape(String text) {
        if (text.startsWith("{")) {
            return pair(text);
        }
        if (text.regionMatches(true, 0, "s3://", 0, 5)) {
            final String rest = text.substring(5);
            final int slash = rest.indexOf('/');
            return slash <= 0 || slash == rest.length() - 1 ? "an s3:// reference needs a bucket and a key" : null;
        }
        final Matcher url = URL.matcher(text);
        if (!url.matches()) {
            return "must be an s3:// URI, an http(s) URL of an S3 or CDN host, a {\"bucket\", \"key\"} pair or "
                    + "manifest: before one of these";
        }
        if (url.group(2) == null || url.group(2).length() <= 1) {
            return "a URL needs the object's path";
        }
        return host(PORT.matcher(url.group(1).toLowerCase(Locale.ROOT)).replaceFirst(""));
    }

    private static String host(String host) {
        if (host.startsWith("[") || host.contains(":")) {
            return "a URL's host must be a name, not an IPv6 address";
        }
        final Matcher ipv4 = IPV4.matcher(host);
        if (ipv4.matches()) {
            final int first = Integer.parseInt(ipv4.group(1));
            final int second = Integer.parseInt(ipv4.group(2));
            if (first == 0 || first == 127 || (first == 169 && second == 254) || first >= 224) {
                return "a URL's host must not be a loopback, link-local, unspecified or metadata address";
            }
            return null;
        }
        if (!HOST_NAME.matcher(host).matches()) {
            return "a URL's host is not a valid host name";
        }
        if (METADATA_HOSTS.contains(host)) {
            return "a URL's host must not be a loopback or cloud metadata host";
        }
        return null;
    }

    private static String pair(String text) {
        final JsonNode node;
        try {
            node = Json.strict().readTree(text);
        } catch (JsonProcessingException e) {
            return "a {\"bucket\", \"key\"} pair must be a JSON object";
        }
        final JsonNode bucket = node.path("bucket");
        final JsonNode key = node.path("key");
        if (node.size() != 2 || !bucket.isTextual() || bucket.textValue().isBlank() || !key.isTextual()
                || key.textValue().isBlank()) {
            return "a pair must be {\"bucket\": \"...\", \"key\": \"...\"}, both non-blank";
        }
        return null;
    }
}
