package dev.lethe.ledger.executor.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the object references a real service accumulates into (bucket, key) pairs:
 * <ul>
 *   <li>{@code s3://bucket/key} (the key taken as written);</li>
 *   <li>virtual-hosted URLs {@code https://bucket.s3.region.amazonaws.com/key},
 *       {@code https://bucket.s3-region.amazonaws.com/key}, {@code https://bucket.s3.amazonaws.com/key};</li>
 *   <li>path-style URLs {@code https://s3.region.amazonaws.com/bucket/key},
 *       {@code https://s3.amazonaws.com/bucket/key};</li>
 *   <li>CDN URLs {@code https://cdn.example.com/key} whose host is mapped in {@code cdnDomains} to a
 *       bucket (or to {@code bucket/originPath});</li>
 *   <li>bucket + key pairs as JSON: {@code {"bucket":"b","key":"k"}};</li>
 *   <li>{@code manifest:} followed by any of the above: a JSON object in S3 listing further objects.</li>
 * </ul>
 * URL paths are percent-decoded (UTF-8; {@code +} stays a plus, as S3 path encoding has it); query
 * strings and fragments are dropped. A reference whose bucket is not one of the system's is refused.
 */
public final class ReferenceParser {

    public static final String MANIFEST_PREFIX = "manifest:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("^(?:https?://)?([^/?#]+)(/[^?#]*)?(?:[?#].*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VIRTUAL_HOSTED = Pattern.compile(
            "^(.+)\\.s3(?:[.-]([a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?$");
    private static final Pattern PATH_STYLE = Pattern.compile(
            "^s3(?:[.-]([a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?$");

    private final Set<String> buckets;
    private final Map<String, String> cdnDomains;

    public ReferenceParser(Iterable<String> buckets, Map<String, String> cdnDomains) {
        this.buckets = Set.copyOf(toList(buckets));
        final java.util.HashMap<String, String> cdn = new java.util.HashMap<>();
        cdnDomains.forEach((host, target) -> cdn.put(host.toLowerCase(Locale.ROOT), target));
        this.cdnDomains = Map.copyOf(cdn);
    }

    private static java.util.List<String> toList(Iterable<String> values) {
        final java.util.List<String> list = new java.util.ArrayList<>();
        values.forEach(list::add);
        return list;
    }

    public Reference parse(String raw) {
        final String text = raw == null ? "" : raw.trim();
        if (text.startsWith(MANIFEST_PREFIX)) {
            final Reference inner = parse(text.substring(MANIFEST_PREFIX.length()));
            return inner instanceof Reference.Object object ? new Reference.Manifest(object.ref()) : inner;
        }
        final Reference parsed = parseShape(text);
        if (parsed instanceof Reference.Object object && !buckets.contains(object.ref().bucket())) {
            return new Reference.Refused("bucket " + object.ref().bucket() + " is not one of the system's buckets");
        }
        return parsed;
    }

    /** Parses a key as listed in a manifest: a full reference of any shape, or a bare key in the manifest's bucket. */
    public Reference parseManifestEntry(String entry, String manifestBucket) {
        final String text = entry.trim();
        if (text.startsWith(MANIFEST_PREFIX)) {
            return new Reference.Refused("a manifest may not name another manifest");
        }
        if (looksLikeReference(text)) {
            return parse(text);
        }
        return text.isEmpty() ? new Reference.Refused("empty key in manifest")
                : new Reference.Object(new ObjectRef(manifestBucket, text));
    }

    private boolean looksLikeReference(String text) {
        return text.startsWith("s3://") || text.startsWith("http://") || text.startsWith("https://")
                || text.startsWith("{");
    }

    private Reference parseShape(String text) {
        if (text.isEmpty()) {
            return new Reference.Refused("empty reference");
        }
        if (text.startsWith("{")) {
            return pair(text);
        }
        if (text.regionMatches(true, 0, "s3://", 0, 5)) {
            final String rest = text.substring(5);
            final int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                return new Reference.Refused("an s3:// reference needs a bucket and a key");
            }
            return object(rest.substring(0, slash), rest.substring(slash + 1));
        }
        final Matcher url = URL.matcher(text);
        if (!url.matches() || url.group(2) == null || url.group(2).length() <= 1) {
            return new Reference.Refused("not an S3 reference");
        }
        final String host = url.group(1).toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        final String path = decode(url.group(2).substring(1));
        if (path == null) {
            return new Reference.Refused("malformed percent-encoding");
        }
        return fromHost(host, path);
    }

    private Reference fromHost(String host, String path) {
        final String cdn = cdnDomains.get(host);
        if (cdn != null) {
            final int slash = cdn.indexOf('/');
            return slash < 0 ? object(cdn, path)
                    : object(cdn.substring(0, slash), trimSlashes(cdn.substring(slash + 1)) + "/" + path);
        }
        final Matcher virtual = VIRTUAL_HOSTED.matcher(host);
        if (virtual.matches()) {
            return object(virtual.group(1), path);
        }
        if (PATH_STYLE.matcher(host).matches()) {
            final int slash = path.indexOf('/');
            if (slash <= 0 || slash == path.length() - 1) {
                return new Reference.Refused("a path-style URL needs a bucket and a key");
            }
            return object(path.substring(0, slash), path.substring(slash + 1));
        }
        return new Reference.Refused("host " + host + " is neither S3 nor a registered CDN domain");
    }

    private static String trimSlashes(String text) {
        return text.replaceAll("^/+|/+$", "");
    }

    private Reference pair(String text) {
        try {
            final JsonNode node = JSON.readTree(text);
            final String bucket = node.path("bucket").asText("");
            final String key = node.path("key").asText("");
            if (bucket.isEmpty() || key.isEmpty()) {
                return new Reference.Refused("a bucket + key pair needs both fields");
            }
            return object(bucket, key);
        } catch (java.io.IOException e) {
            return new Reference.Refused("unreadable bucket + key pair");
        }
    }

    private static Reference object(String bucket, String key) {
        return new Reference.Object(new ObjectRef(bucket, key));
    }

    /** Percent-decodes a URL path as UTF-8; {@code +} stays literal. Null when malformed. */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            final char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return null;
                }
                final int hi = Character.digit(path.charAt(i + 1), 16);
                final int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                final byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < path.length()) {
                    final byte[] pairBytes = path.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    out.write(pairBytes, 0, pairBytes.length);
                    i++;
                } else {
                    out.write(bytes, 0, bytes.length);
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
