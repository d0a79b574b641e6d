package dev.lethe.schemas.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.OpenDsrIdentity;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenDsrRegistrationTest {

    private static final SystemsValidator VALIDATOR = new SystemsValidator(List.of("user_id", "email"), null);
    private static final String OPENDSR = """
            {"owner": "growth", "contact": "growth@example.com", "mode": "opendsr", "namespaces": ["email", "user_id"],
             "opendsr": {"url": "https://opendsr.processor.example/v1/",
                         "identities": [{"namespace": "email", "type": "email", "format": "sha256"},
                                        {"namespace": "user_id", "type": "controller_customer_id", "format": "raw"}],
                         "credentialsFile": "/run/secrets/processor-token", "domain": "processor.example"}}""";

    @Test
    void shouldMapOpenDsrSettingsAndRoundTripThroughJson() {
        final SystemRegistration system = VALIDATOR.validate("analytics", SystemsValidatorTest.tree(OPENDSR));

        assertEquals(SystemMode.OPENDSR, system.getMode());
        assertEquals("https://opendsr.processor.example/v1", system.getOpendsr().getUrl());
        assertEquals(List.of(new OpenDsrIdentity("email", "email", "sha256"),
                new OpenDsrIdentity("user_id", "controller_customer_id", "raw")), system.getOpendsr().getIdentities());
        assertEquals("/run/secrets/processor-token", system.getOpendsr().getCredentialsFile());
        assertEquals("gdpr", system.getOpendsr().getRegulation());
        assertEquals(system, VALIDATOR.validate("analytics", SystemsJson.toJson(system)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no url                | {\"url\": null}                                   | missing_field | opendsr.url",
        "relative url          | {\"url\": \"/v1\"}                                | invalid_value | opendsr.url",
        "no identities         | {\"identities\": []}                              | invalid_value | opendsr.identities",
        "unknown format        | {\"identities\": [{\"namespace\": \"email\", \"type\": \"email\", \"format\": \"sha512\"}]} | invalid_value | opendsr.identities[0].format",
        "namespace not listed  | {\"identities\": [{\"namespace\": \"phone\", \"type\": \"email\", \"format\": \"raw\"}]} | invalid_value | opendsr.identities[0].namespace",
        "bad identity type     | {\"identities\": [{\"namespace\": \"email\", \"type\": \"E Mail\", \"format\": \"raw\"}]} | invalid_value | opendsr.identities[0].type",
        "relative secret file  | {\"credentialsFile\": \"token.txt\"}               | invalid_value | opendsr.credentialsFile",
        "inline token          | {\"token\": \"s3cr3t\"}                            | unknown_field | opendsr.token",
        "bad domain            | {\"domain\": \"not a domain\"}                     | invalid_value | opendsr.domain",
        "bad regulation        | {\"regulation\": \"pipa\"}                         | invalid_value | opendsr.regulation",
        "timeout too short     | {\"timeoutMs\": 10}                                | invalid_value | opendsr.timeoutMs"
    })
    void shouldRefuseBadOpenDsrSettingsNamingTheField(String description, String change, String code, String field) {
        final JsonNode body = SystemsValidatorTest.tree(OPENDSR).deepCopy();
        ((ObjectNode) body.get("opendsr")).setAll((ObjectNode) SystemsValidatorTest.tree(change));

        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("analytics", body));

        assertEquals(code, e.code(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
    }

    @Test
    void shouldRequireOpenDsrSettingsExactlyForModeOpenDsr() {
        final ObjectNode without = (ObjectNode) SystemsValidatorTest.tree(OPENDSR).deepCopy();
        without.remove("opendsr");
        final ObjectNode otherMode = (ObjectNode) SystemsValidatorTest.tree(OPENDSR).deepCopy();
        otherMode.put("mode", "event");

        assertEquals("opendsr", assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("analytics", without)).field());
        assertEquals("opendsr", assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("analytics", otherMode)).field());
    }
}
