package dev.lethe.schemas.systems;

import static dev.lethe.schemas.systems.SystemsValidatorTest.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.SqlAction;
import dev.lethe.avro.SqlMaskStrategy;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlRegistrationTest {

    private static final SystemsValidator VALIDATOR = new SystemsValidator(List.of("user_id", "email"), null);
    static final String SQL = """
            {"owner": "app", "contact": "app@example.com", "mode": "sql", "namespaces": ["user_id", "email"],
             "sql": {"jdbcUrl": "jdbc:postgresql://db:5432/app", "credentials": "app-db",
                     "rowsPerBatch": 200, "rowsPerSecond": 1000,
                     "window": {"from": "02:00", "to": "06:00", "zone": "Asia/Seoul"},
                     "files": {"buckets": ["uploads"], "cdnDomains": {"cdn.example.com": "uploads"}},
                     "tables": [
                       {"table": "feature_request", "key": "id", "match": {"column": "user_id", "namespace": "user_id"},
                        "action": "delete", "files": [{"column": "imageUrl"},
                                                      {"column": "inputFileList", "path": "$[*]"},
                                                      {"column": "manifestKey", "manifest": true}]},
                       {"table": "feature_task", "key": "id", "via": {"column": "request_id", "parent": "feature_request"},
                        "action": "delete"},
                       {"table": "client", "key": "id", "match": {"column": "email", "namespace": "email"},
                        "action": "mask", "after": ["feature_request"],
                        "mask": [{"column": "email", "strategy": "hmac"}, {"column": "name", "strategy": "fixed", "value": "erased"},
                                 {"column": "phone", "strategy": "null"}, {"column": "token", "strategy": "random"}]}
                     ]}}""";

    @Test
    void shouldMapSqlSettingsAndRoundTripThroughJson() {
        final SystemRegistration registration = VALIDATOR.validate("app", tree(SQL));

        assertEquals(SystemMode.SQL, registration.getMode());
        assertEquals("app-db", registration.getSql().getCredentials());
        assertEquals(200, registration.getSql().getRowsPerBatch());
        assertEquals(SqlAction.MASK, registration.getSql().getTables().get(2).getAction());
        assertEquals(SqlMaskStrategy.HMAC, registration.getSql().getTables().get(2).getMask().get(0).getStrategy());
        assertEquals("$[*]", registration.getSql().getTables().get(0).getFiles().get(1).getPath());
        assertEquals(registration, VALIDATOR.validate("app", SystemsJson.toJson(registration)));
    }

    @Test
    void shouldRunChildrenFoundViaAParentBeforeTheParentAndHonourAfter() {
        final SystemRegistration registration = VALIDATOR.validate("app", tree(SQL));

        assertEquals(List.of("feature_task", "feature_request", "client"), SqlRegistration
                .order(registration.getSql().getTables()).stream().map(r -> r.getTable()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "password in url     | /jdbcUrl        | \"jdbc:postgresql://db/app?password=x\"            | invalid_value | sql.jdbcUrl",
        "not jdbc            | /jdbcUrl        | \"postgres://db/app\"                              | invalid_value | sql.jdbcUrl",
        "secret with path    | /credentials    | \"../etc/passwd\"                                  | invalid_value | sql.credentials",
        "batch too big       | /rowsPerBatch   | 100000                                             | invalid_value | sql.rowsPerBatch",
        "bad window          | /window         | {\"from\": \"2am\", \"to\": \"06:00\", \"zone\": \"UTC\"} | invalid_value | sql.window.from",
        "no tables           | /tables         | []                                                 | invalid_value | sql.tables",
        "injected table      | /tables/0/table | \"x; drop table y\"                                | invalid_value | sql.tables[0].table",
        "unknown namespace   | /tables/0/match | {\"column\": \"user_id\", \"namespace\": \"phone\"} | invalid_value | sql.tables[0].match.namespace",
        "both match and via  | /tables/0/via   | {\"column\": \"a\", \"parent\": \"client\"}         | invalid_value | sql.tables[0].match",
        "unknown parent      | /tables/1/via   | {\"column\": \"a\", \"parent\": \"nowhere\"}        | invalid_value | sql.tables[1].via.parent",
        "bad action          | /tables/0/action| \"truncate\"                                       | invalid_value | sql.tables[0].action",
        "mask via parent     | /tables/1/action| \"mask\"                                           | invalid_value | sql.tables[1].mask",
        "fixed without value | /tables/2/mask/1| {\"column\": \"name\", \"strategy\": \"fixed\"}    | invalid_value | sql.tables[2].mask[1].value",
        "bad strategy        | /tables/2/mask/1| {\"column\": \"name\", \"strategy\": \"blur\"}     | invalid_value | sql.tables[2].mask[1].strategy",
        "match not masked    | /tables/2/mask/0| {\"column\": \"other\", \"strategy\": \"null\"}    | invalid_value | sql.tables[2].mask",
        "bad json path       | /tables/0/files/1 | {\"column\": \"inputFileList\", \"path\": \"files[\"} | invalid_value | sql.tables[0].files[1].path",
        "after unknown       | /tables/2/after | [\"nowhere\"]                                      | invalid_value | sql.tables[2].after[0]",
        "cycle               | /tables/0/after | [\"client\"]                                       | invalid_value | sql.tables[0].after",
        "unknown field       | /tables/0/where | \"1=1\"                                            | unknown_field | sql.tables[0].where"
    })
    void shouldRefuseBadSqlSettingsNamingTheField(String description, String pointer, String value, String code,
                                                   String field) {
        final JsonNode body = tree(SQL).deepCopy();
        set(body.get("sql"), pointer.trim(), tree(value));

        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("app", body));

        assertEquals(code, e.code(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
    }

    @Test
    void shouldRefuseFilesWithoutBuckets() {
        final JsonNode body = tree(SQL).deepCopy();
        ((ObjectNode) body.get("sql")).remove("files");

        final InvalidRegistrationException e = assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("app", body));

        assertEquals("sql.tables[0].files", e.field());
    }

    @Test
    void shouldRefuseSqlSettingsOnAnotherModeAndAnSqlModeWithoutThem() {
        final ObjectNode other = (ObjectNode) tree(SQL).deepCopy();
        other.put("mode", "event");
        final ObjectNode bare = (ObjectNode) tree(SQL).deepCopy();
        bare.remove("sql");

        assertEquals("sql", assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("app", other)).field());
        assertEquals("sql", assertThrows(InvalidRegistrationException.class,
                () -> VALIDATOR.validate("app", bare)).field());
    }

    /** Sets the node at a JSON pointer (its parent must exist). */
    private static void set(JsonNode root, String pointer, JsonNode value) {
        final int slash = pointer.lastIndexOf('/');
        final JsonNode parent = root.at(pointer.substring(0, slash));
        final String last = pointer.substring(slash + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }
}
