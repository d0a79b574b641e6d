package dev.lethe.schemas.systems;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.OpenDsrIdentity;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.SystemMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code opendsr} block of a registration (mode {@code opendsr}): the processor's base URL,
 * the identities it accepts (each a Lethe namespace of the registration mapped to an OpenDSR
 * {@code identity_type} and {@code identity_format}), its credentials by reference to a file
 * (an absolute path; the token itself never enters the registry), its signing domain, the
 * regulation named in requests, a per-attempt timeout and the attempts per call. Refusals name
 * the field's JSON path, as every check of {@link SystemsValidator} does.
 */
final class OpenDsrRegistration {

    /** The identity formats of OpenDSR 2.0, section 5.2. */
    static final List<String> FORMATS = List.of("raw", "sha256", "md5", "sha1");
    private static final Set<String> FIELDS = Set.of("url", "identities", "credentialsFile", "domain", "regulation",
            "timeoutMs", "maxAttempts");
    private static final Set<String> IDENTITY = Set.of("namespace", "type", "format");
    private static final Set<String> REGULATIONS = Set.of("gdpr", "ccpa");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private OpenDsrRegistration() {
    }

    /** The settings in {@code node} (null when absent), allowed and required exactly for mode opendsr. */
    static OpenDsrSettings settings(JsonNode node, SystemMode mode, List<String> namespaces) {
        if (mode != SystemMode.OPENDSR) {
            if (node != null) {
                throw SystemsValidator.invalid("opendsr", "opendsr settings are allowed only when mode is opendsr");
            }
            return null;
        }
        if (node == null) {
            throw SystemsValidator.missing("opendsr",
                    "mode opendsr needs opendsr settings (at least opendsr.url and opendsr.identities)");
        }
        SystemsValidator.object(node, "opendsr");
        SystemsValidator.known(node, FIELDS, "opendsr.");
        final String url = SystemsValidator.url(SystemsValidator.text(node, "url", "opendsr.url", true), "opendsr.url");
        final String regulation = SystemsValidator.text(node, "regulation", "opendsr.regulation", false);
        if (regulation != null && !REGULATIONS.contains(regulation)) {
            throw SystemsValidator.invalid("opendsr.regulation", "opendsr.regulation must be gdpr or ccpa");
        }
        return OpenDsrSettings.newBuilder()
                .setUrl(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .setIdentities(identities(node, namespaces))
                .setCredentialsFile(credentialsFile(SystemsValidator.text(node, "credentialsFile",
                        "opendsr.credentialsFile", false)))
                .setDomain(domain(SystemsValidator.text(node, "domain", "opendsr.domain", false)))
                .setRegulation(regulation == null ? "gdpr" : regulation)
                .setTimeoutMs(SystemsValidator.integer(node, "timeoutMs", "opendsr.timeoutMs", 100, 120_000, 10_000))
                .setMaxAttempts(SystemsValidator.integer(node, "maxAttempts", "opendsr.maxAttempts", 1, 20, 8))
                .build();
    }

    private static List<OpenDsrIdentity> identities(JsonNode node, List<String> namespaces) {
        final JsonNode array = SystemsValidator.present(node, "identities");
        if (array == null) {
            throw SystemsValidator.missing("opendsr.identities",
                    "opendsr.identities is required: which namespaces the processor accepts, as which type and format");
        }
        if (!array.isArray() || array.isEmpty()) {
            throw SystemsValidator.invalid("opendsr.identities", "opendsr.identities must be a non-empty array");
        }
        final List<OpenDsrIdentity> identities = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final String field = "opendsr.identities[" + i + "]";
            final JsonNode item = array.get(i);
            SystemsValidator.object(item, field);
            SystemsValidator.known(item, IDENTITY, field + ".");
            final String namespace = SystemsValidator.text(item, "namespace", field + ".namespace", true);
            if (!namespaces.contains(namespace)) {
                throw SystemsValidator.invalid(field + ".namespace", field + ".namespace must be one of namespaces");
            }
            final String type = SystemsValidator.text(item, "type", field + ".type", true);
            if (!TYPE.matcher(type).matches()) {
                throw SystemsValidator.invalid(field + ".type", field + ".type must be an OpenDSR identity_type "
                        + "such as email or android_advertising_id (lower-case letters, digits, '_')");
            }
            final String format = SystemsValidator.text(item, "format", field + ".format", true);
            if (!FORMATS.contains(format)) {
                throw SystemsValidator.invalid(field + ".format", field + ".format must be one of raw, sha256, md5, sha1");
            }
            if (!seen.add(namespace + '|' + type + '|' + format)) {
                throw SystemsValidator.invalid(field, field + " repeats an earlier entry");
            }
            identities.add(new OpenDsrIdentity(namespace, type, format));
        }
        return identities;
    }

    private static String credentialsFile(String text) {
        if (text == null) {
            return null;
        }
        try {
            if (Path.of(text).isAbsolute()) {
                return text;
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw SystemsValidator.invalid("opendsr.credentialsFile", "opendsr.credentialsFile must be the absolute path "
                + "of a file holding the processor's token (the token itself never goes into a registration)");
    }

    private static String domain(String text) {
        if (text != null && (text.length() > 253 || !SystemsValidator.DOMAIN.matcher(text).matches())) {
            throw SystemsValidator.invalid("opendsr.domain", "opendsr.domain must be a domain name");
        }
        return text;
    }
}
