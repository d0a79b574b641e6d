package dev.lethe.schemas.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemsValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SystemsValidator VALIDATOR = new SystemsValidator(List.of("user_id", "email"),
            List.of("GDPR", "CCPA"));
    private static final String EVENT = """
            {"owner": "billing-team", "contact": "billing@example.com", "mode": "event",
             "namespaces": ["user_id", "email"], "jurisdictions": ["GDPR"], "tags": ["finance"],
             "slaDays": 14, "reminderHours": 24, "maxAttempts": 6}""";
    private static final String S3 = """
            {"owner": "media", "contact": "media@example.com", "mode": "s3", "namespaces": ["user_id"],
             "s3": {"buckets": ["media-prod"], "prefixes": ["{subject}/"],
                    "cdnDomains": {"cdn.example.com": "media-prod"}, "deletesPerSecond": 500, "allVersions": true,
                    "window": {"from": "02:00", "to": "06:00", "zone": "Asia/Seoul"}}}""";
    private static final String HTTP = """
            {"owner": "crm", "contact": "crm@example.com", "mode": "http", "namespaces": ["email"],
             "http": {"url": "https://crm.internal/erase", "timeoutMs": 5000, "maxAttempts": 8}}""";

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldMapEveryFieldOfAnEventSystem() {
        final SystemRegistration system = VALIDATOR.validate("billing", tree(EVENT));

        assertEquals("billing", system.getName());
        assertEquals(SystemMode.EVENT, system.getMode());
        assertEquals(List.of("user_id", "email"), system.getNamespaces());
        assertEquals(List.of("GDPR"), system.getJurisdictions());
        assertEquals(14, system.getSlaDays());
        assertEquals(6, system.getMaxAttempts());
    }

    @Test
    void shouldMapS3SettingsAndRoundTripThroughJson() {
        final SystemRegistration system = VALIDATOR.validate("media", tree(S3));

        assertEquals(Map.of("cdn.example.com", "media-prod"), system.getS3().getCdnDomains());
        assertEquals(true, system.getS3().getAllVersions());
        assertEquals("Asia/Seoul", system.getS3().getWindow().getZone());
        assertEquals(system, VALIDATOR.validate("media", SystemsJson.toJson(system)));
    }

    @Test
    void shouldMapHttpSettings() {
        final SystemRegistration system = VALIDATOR.validate("crm", tree(HTTP));

        assertEquals("https://crm.internal/erase", system.getHttp().getUrl());
        assertEquals(8, system.getHttp().getMaxAttempts());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown field           | {\"colour\": 1}                               | unknown_field | colour",
        "mode outside the list   | {\"mode\": \"ftp\"}                           | invalid_value | mode",
        "mode not a string       | {\"mode\": 3}                                 | invalid_type  | mode",
        "no namespaces           | {\"namespaces\": []}                          | invalid_value | namespaces",
        "unknown namespace       | {\"namespaces\": [\"user_id\", \"ssn\"]}      | unknown_namespace | namespaces[1]",
        "unknown jurisdiction    | {\"jurisdictions\": [\"XX\"]}                 | unknown_jurisdiction | jurisdictions[0]",
        "slaDays zero            | {\"slaDays\": 0}                              | invalid_value | slaDays",
        "slaDays too long        | {\"slaDays\": 3651}                           | invalid_value | slaDays",
        "reminderHours too long  | {\"reminderHours\": 8761}                     | invalid_value | reminderHours",
        "maxAttempts over 100    | {\"maxAttempts\": 101}                        | invalid_value | maxAttempts",
        "maxAttempts a fraction  | {\"maxAttempts\": 1.5}                        | invalid_type  | maxAttempts",
        "http for an event mode  | {\"http\": {\"url\": \"https://x.example\"}}  | invalid_value | http",
        "owner missing           | {\"owner\": null}                             | missing_field | owner",
        "other name in the body  | {\"name\": \"crm\"}                           | invalid_value | name"
    })
    void shouldRefuseABadEventRegistrationNamingTheField(String description, String change, String code,
                                                        String field) {
        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("billing", merged(EVENT, change)));

        assertEquals(code, e.code(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no http settings        | {\"http\": null}                                            | missing_field | http",
        "relative url            | {\"http\": {\"url\": \"/erase\"}}                           | invalid_value | http.url",
        "ftp url                 | {\"http\": {\"url\": \"ftp://x.example/erase\"}}            | invalid_value | http.url",
        "timeout too short       | {\"http\": {\"url\": \"https://x.example\", \"timeoutMs\": 99}} | invalid_value | http.timeoutMs",
        "http attempts over 20   | {\"http\": {\"url\": \"https://x.example\", \"maxAttempts\": 21}} | invalid_value | http.maxAttempts",
        "unknown http field      | {\"http\": {\"url\": \"https://x.example\", \"verb\": \"DELETE\"}} | unknown_field | http.verb"
    })
    void shouldRefuseBadHttpSettings(String description, String change, String code, String field) {
        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("crm", merged(HTTP, change)));

        assertEquals(code, e.code(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no buckets          | {\"buckets\": []}                                      | invalid_value | s3.buckets",
        "upper-case bucket   | {\"buckets\": [\"Media\"]}                             | invalid_value | s3.buckets[0]",
        "ip bucket           | {\"buckets\": [\"10.0.0.1\"]}                          | invalid_value | s3.buckets[0]",
        "cdn to other bucket | {\"cdnDomains\": {\"cdn.example.com\": \"other\"}}     | invalid_value | s3.cdnDomains.cdn.example.com",
        "deletes too fast    | {\"deletesPerSecond\": 3501}                           | invalid_value | s3.deletesPerSecond",
        "allVersions string  | {\"allVersions\": \"yes\"}                             | invalid_type  | s3.allVersions",
        "bad window time     | {\"window\": {\"from\": \"2am\", \"to\": \"06:00\", \"zone\": \"UTC\"}} | invalid_value | s3.window.from",
        "bad window zone     | {\"window\": {\"from\": \"02:00\", \"to\": \"06:00\", \"zone\": \"Mars/Base\"}} | invalid_value | s3.window.zone"
    })
    void shouldRefuseBadS3Settings(String description, String change, String code, String field) {
        final JsonNode body = tree(S3).deepCopy();
        final ObjectNode s3 = (ObjectNode) body.get("s3");
        s3.setAll((ObjectNode) tree(change));

        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("media", body));

        assertEquals(code, e.code(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
    }

    @Test
    void shouldRefuseABadSystemName() {
        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("Billing!", tree(EVENT)));

        assertEquals("name", e.field());
    }

    @Test
    void shouldNameTheEntryOfABadSystemsFile(@TempDir Path dir) throws IOException {
        final Path file = dir.resolve("systems.json");
        Files.writeString(file, "[{\"name\": \"billing\", \"owner\": \"o\", \"contact\": \"c\", \"mode\": \"event\","
                + " \"namespaces\": [\"user_id\"], \"slaDays\": 0}]");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SystemsJson.readFile(file));

        assertEquals(true, e.getMessage().contains("entry 0") && e.getMessage().contains("slaDays"), e::getMessage);
    }

    private static JsonNode merged(String base, String change) {
        final ObjectNode body = (ObjectNode) tree(base).deepCopy();
        body.setAll((ObjectNode) tree(change));
        return body;
    }
}
