package dev.lethe.schemas.systems;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a system registration in the JSON shape of API.md ({@code PUT /v1/systems/{name}}) and
 * turns it into a {@link SystemRegistration}, or refuses it with an
 * {@link InvalidRegistrationException} naming the field's JSON path. Every field is checked:
 * unknown fields, wrong types, a mode outside {@code event|http|s3|manual|sql}, namespaces and
 * jurisdictions outside the vocabulary (when one is given), numbers outside their ranges,
 * {@code http} present exactly when the mode is {@code http} (an absolute http(s) URL) and
 * {@code s3} exactly when it is {@code s3} (valid bucket names, CDN domains mapped to listed
 * buckets, a window of {@code HH:mm} times in a valid zone). Messages never repeat secrets; a
 * registration holds none.
 */
public final class SystemsValidator {

    /** A system name: 1-63 lower-case letters, digits, '_', '.' or '-', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final int TEXT_MAX = 256;
    private static final int LIST_MAX = 1000;
    private static final Set<String> TOP = Set.of("name", "owner", "contact", "mode", "namespaces", "jurisdictions",
            "tags", "slaDays", "reminderHours", "maxAttempts", "http", "s3", "opendsr", "sql");
    private static final Set<String> HTTP = Set.of("url", "timeoutMs", "maxAttempts");
    private static final Set<String> S3 = Set.of("buckets", "prefixes", "cdnDomains", "deletesPerSecond",
            "allVersions", "window");
    private static final Set<String> WINDOW = Set.of("from", "to", "zone");

    private final Set<String> namespaces;
    private final Set<String> jurisdictions;

    /**
     * A validator against these vocabularies.
     *
     * @param namespaces    the identifier namespaces a system may hold; null accepts any
     * @param jurisdictions the jurisdictions a system may serve; null accepts any
     */
    public SystemsValidator(Collection<String> namespaces, Collection<String> jurisdictions) {
        this.namespaces = namespaces == null ? null : Set.copyOf(namespaces);
        this.jurisdictions = jurisdictions == null ? null : Set.copyOf(jurisdictions);
    }

    /** A validator that accepts any namespace and jurisdiction (every other check still applies). */
    public static SystemsValidator anyVocabulary() {
        return new SystemsValidator(null, null);
    }

    /**
     * The registration of system {@code name} described by {@code body}. A {@code name} inside the
     * body is accepted only when it equals {@code name}.
     */
    public SystemRegistration validate(String name, JsonNode body) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("name", "the system name must be 1-63 lower-case letters, digits, '_', '.' or '-', "
                    + "starting with a letter or digit");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidRegistrationException("invalid_type", "a registration must be a JSON object", null);
        }
        known(body, TOP, "");
        if (body.has("name") && !name.equals(text(body, "name", "name", true))) {
            throw invalid("name", "name in the body must equal the system name in the path");
        }
        final SystemMode mode = mode(text(body, "mode", "mode", true));
        return SystemRegistration.newBuilder()
                .setName(name)
                .setOwner(text(body, "owner", "owner", true))
                .setContact(text(body, "contact", "contact", true))
                .setMode(mode)
                .setNamespaces(vocabulary(body, "namespaces", namespaces, true))
                .setJurisdictions(vocabulary(body, "jurisdictions", jurisdictions, false))
                .setTags(strings(body, "tags", "tags", false))
                .setSlaDays(integer(body, "slaDays", "slaDays", 1, 3650, 30))
                .setReminderHours(integer(body, "reminderHours", "reminderHours", 1, 8760, 24))
                .setMaxAttempts(integer(body, "maxAttempts", "maxAttempts", 1, 100, 5))
                .setHttp(http(body, mode))
                .setS3(s3(body, mode))
                .setOpendsr(OpenDsrRegistration.settings(present(body, "opendsr"), mode, namespacesOf(body)))
                .setSql(SqlRegistration.read(body, mode, namespaces(body)))
                .build();
    }

    /** The namespaces named in the body (checked fully elsewhere), for the checks of a mode's settings. */
    private static List<String> namespaces(JsonNode body) {
        return strings(body, "namespaces", "namespaces", true);
    }

    private static SystemMode mode(String text) {
        for (final SystemMode mode : SystemMode.values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(text)) {
                return mode;
            }
        }
        throw invalid("mode", "mode must be one of event, http, s3, manual, opendsr, sql");
    }

    private static HttpSettings http(JsonNode body, SystemMode mode) {
        final JsonNode node = present(body, "http");
        if (mode != SystemMode.HTTP) {
            if (node != null) {
                throw invalid("http", "http settings are allowed only when mode is http");
            }
            return null;
        }
        if (node == null) {
            throw missing("http", "mode http needs http settings (at least http.url)");
        }
        object(node, "http");
        known(node, HTTP, "http.");
        return new HttpSettings(url(text(node, "url", "http.url", true)),
                integer(node, "timeoutMs", "http.timeoutMs", 100, 120_000, 5000),
                integer(node, "maxAttempts", "http.maxAttempts", 1, 20, 8));
    }

    private static String url(String text) {
        return url(text, "http.url");
    }

    /** {@code text} if it is an absolute http(s) URL with a host, else refused naming {@code field}. */
    static String url(String text, String field) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(field, field + " is not a valid URL");
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid(field, field + " must be an absolute http:// or https:// URL with a host");
        }
        return text;
    }

    /** The namespaces the body lists (already checked by {@link #validate}). */
    private static List<String> namespacesOf(JsonNode body) {
        return strings(body, "namespaces", "namespaces", true);
    }

    private static S3Settings s3(JsonNode body, SystemMode mode) {
        final JsonNode node = present(body, "s3");
        if (mode != SystemMode.S3) {
            if (node != null) {
                throw invalid("s3", "s3 settings are allowed only when mode is s3");
            }
            return null;
        }
        if (node == null) {
            throw missing("s3", "mode s3 needs s3 settings (at least s3.buckets)");
        }
        object(node, "s3");
        known(node, S3, "s3.");
        final List<String> buckets = strings(node, "buckets", "s3.buckets", true);
        for (int i = 0; i < buckets.size(); i++) {
            bucket(buckets.get(i), "s3.buckets[" + i + "]");
        }
        final JsonNode allVersions = present(node, "allVersions");
        if (allVersions != null && !allVersions.isBoolean()) {
            throw type("s3.allVersions", "true or false");
        }
        return new S3Settings(buckets, strings(node, "prefixes", "s3.prefixes", false), cdn(node, buckets, "s3"),
                integer(node, "deletesPerSecond", "s3.deletesPerSecond", 1, 3500, 500),
                allVersions != null && allVersions.booleanValue(), window(present(node, "window"), "s3.window"));
    }

    static void bucket(String name, String field) {
        if (!BUCKET.matcher(name).matches() || name.contains("..") || IPV4.matcher(name).matches()) {
            throw invalid(field, field + " is not a valid S3 bucket name (3-63 lower-case letters, digits, '.' "
                    + "or '-', starting and ending with a letter or digit)");
        }
    }

    static Map<String, String> cdn(JsonNode s3, List<String> buckets, String prefix) {
        final JsonNode node = present(s3, "cdnDomains");
        final Map<String, String> cdn = new LinkedHashMap<>();
        if (node == null) {
            return cdn;
        }
        object(node, prefix + ".cdnDomains");
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> entry = fields.next();
            final String field = prefix + ".cdnDomains." + entry.getKey();
            if (entry.getKey().length() > 253 || !DOMAIN.matcher(entry.getKey()).matches()) {
                throw invalid(prefix + ".cdnDomains", prefix + ".cdnDomains has a key that is not a domain name");
            }
            if (!entry.getValue().isTextual()) {
                throw type(field, "a string");
            }
            if (!buckets.contains(entry.getValue().textValue())) {
                throw invalid(field, field + " must name one of " + prefix + ".buckets");
            }
            cdn.put(entry.getKey(), entry.getValue().textValue());
        }
        return cdn;
    }

    static ProcessingWindow window(JsonNode node, String prefix) {
        if (node == null) {
            return null;
        }
        object(node, prefix);
        known(node, WINDOW, prefix + ".");
        final String from = time(text(node, "from", prefix + ".from", true), prefix + ".from");
        final String to = time(text(node, "to", prefix + ".to", true), prefix + ".to");
        if (from.equals(to)) {
            throw invalid(prefix + ".to", prefix + ".to must differ from " + prefix + ".from");
        }
        final String zone = text(node, "zone", prefix + ".zone", true);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw invalid(prefix + ".zone", prefix + ".zone must be a time zone id such as Asia/Seoul or UTC");
        }
        return new ProcessingWindow(from, to, zone);
    }

    private static String time(String text, String field) {
        try {
            LocalTime.parse(text, HH_MM);
            return text;
        } catch (DateTimeParseException e) {
            throw invalid(field, field + " must be a time HH:mm (00:00 to 23:59)");
        }
    }

    private static List<String> vocabulary(JsonNode body, String name, Set<String> allowed, boolean required) {
        final List<String> values = strings(body, name, name, required);
        if (allowed != null) {
            for (int i = 0; i < values.size(); i++) {
                if (!allowed.contains(values.get(i))) {
                    throw new InvalidRegistrationException("unknown_" + name.substring(0, name.length() - 1),
                            name + "[" + i + "] must be one of " + String.join(", ", sorted(allowed)),
                            name + "[" + i + "]");
                }
            }
        }
        return values;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    static List<String> strings(JsonNode node, String name, String field, boolean required) {
        final JsonNode array = present(node, name);
        if (array == null) {
            if (required) {
                throw missing(field, field + " is required and must name at least one");
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw type(field, "an array of strings");
        }
        if (required && array.isEmpty()) {
            throw invalid(field, field + " must name at least one");
        }
        if (array.size() > LIST_MAX) {
            throw invalid(field, field + " has more than " + LIST_MAX + " entries");
        }
        final Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final String element = field + "[" + i + "]";
            if (!array.get(i).isTextual()) {
                throw type(element, "a string");
            }
            final String value = array.get(i).textValue();
            if (value.isBlank() || value.length() > 1024) {
                throw invalid(element, element + " must be 1-1024 characters, not blank");
            }
            if (!values.add(value)) {
                throw invalid(element, element + " repeats an earlier entry");
            }
        }
        return new ArrayList<>(values);
    }

    static String text(JsonNode node, String name, String field, boolean required) {
        final JsonNode value = present(node, name);
        if (value == null) {
            if (required) {
                throw missing(field, field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw type(field, "a string");
        }
        if (value.textValue().isBlank() || value.textValue().length() > TEXT_MAX) {
            throw invalid(field, field + " must be 1-" + TEXT_MAX + " characters, not blank");
        }
        return value.textValue();
    }

    static int integer(JsonNode node, String name, String field, int min, int max, int fallback) {
        final JsonNode value = present(node, name);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            throw type(field, "an integer");
        }
        if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw invalid(field, field + " must be between " + min + " and " + max);
        }
        return value.intValue();
    }

    /** The field's value, or null when absent or JSON null. */
    static JsonNode present(JsonNode node, String name) {
        final JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    static void object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw type(field, "an object");
        }
    }

    static void known(JsonNode node, Set<String> allowed, String prefix) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidRegistrationException("unknown_field", "unknown field " + prefix + name,
                        prefix + name);
            }
        }
    }

    static InvalidRegistrationException missing(String field, String message) {
        return new InvalidRegistrationException("missing_field", message, field);
    }

    static InvalidRegistrationException invalid(String field, String message) {
        return new InvalidRegistrationException("invalid_value", message, field);
    }

    static InvalidRegistrationException type(String field, String expected) {
        return new InvalidRegistrationException("invalid_type", field + " must be " + expected, field);
    }
}
