package dev.lethe.standalone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an import file's rows become request bodies (or refusals), and the key that makes each row one request. */
class ImportRowsTest {

    private static final ImportRows.Defaults DEFAULTS = new ImportRows.Defaults("GDPR", "account_deleted",
            "members", null);

    @TempDir
    Path dir;

    private List<ImportRows.Row> rows(String name, String content, ImportRows.Defaults defaults) throws Exception {
        final Path file = Files.writeString(dir.resolve(name), content);
        final List<ImportRows.Row> rows = new ArrayList<>();
        try (ImportRows in = ImportRows.open(file, defaults)) {
            for (ImportRows.Row row = in.next(); row != null; row = in.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void shouldTakeTheFirstNamespaceColumnAsTheSubjectAndTheOthersAsIdentifiers() throws Exception {
        final List<ImportRows.Row> rows = rows("a.csv", "reason,user_id,email\r\n"
                + ",u-1,\"kim@example.com\"\r\nfraud,\"u-2, jr\",\n", DEFAULTS);

        assertEquals(2, rows.size());
        assertEquals("{\"subject\":{\"namespace\":\"user_id\",\"value\":\"u-1\"},\"identifiers\":[{\"namespace\":"
                + "\"email\",\"value\":\"kim@example.com\"}],\"jurisdiction\":\"GDPR\",\"reason\":\"account_deleted\","
                + "\"source\":\"members\"}", Api.write(rows.get(0).body()));
        assertEquals("u-2, jr", rows.get(1).body().path("subject").path("value").asText());
        assertEquals("fraud", rows.get(1).body().path("reason").asText(), "a reason column overrides --reason");
        assertTrue(rows.get(1).body().path("identifiers").isMissingNode(), "a blank cell gives no identifier");
    }

    @Test
    void shouldTakeTheSubjectFromTheColumnThatSubjectNames() throws Exception {
        final List<ImportRows.Row> rows = rows("b.csv", "user_id,email\nu-1,kim@example.com\n",
                new ImportRows.Defaults("GDPR", "r", "s", "email"));

        assertEquals("email", rows.get(0).body().path("subject").path("namespace").asText());
        assertEquals("user_id", rows.get(0).body().path("identifiers").get(0).path("namespace").asText());
    }

    @Test
    void refusesRowsItCannotReadNamingTheRowAndKeepsReadingTheOthers() throws Exception {
        final List<ImportRows.Row> rows = rows("c.ndjson", "{\"subject\": {\"namespace\": \"user_id\", \"value\": "
                + "\"u-1\"}, \"jurisdiction\": \"CCPA\"}\n\nnot json\n[1]\n", DEFAULTS);

        assertEquals(3, rows.size());
        assertEquals("CCPA", rows.get(0).body().path("jurisdiction").asText(), "a line's own value is kept");
        assertNull(rows.get(0).refusal());
        assertEquals(3, rows.get(1).number());
        assertTrue(rows.get(1).refusal().startsWith("is not JSON"), rows.get(1).refusal());
        assertEquals("is not a JSON object", rows.get(2).refusal());
    }

    @Test
    void refusesAHeaderWithoutTheSubjectColumn() throws Exception {
        final Path file = Files.writeString(dir.resolve("d.csv"), "user_id\nu-1\n");
        try (ImportRows in = ImportRows.open(file, new ImportRows.Defaults("GDPR", "r", "s", "email"))) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::next);
            assertTrue(e.getMessage().contains("--subject email"), e.getMessage());
        }
    }

    @Test
    void shouldKeyEachRowByItsContentSoTheSameRowIsAlwaysOneRequest() throws Exception {
        final List<ImportRows.Row> rows = rows("e.csv", "user_id\nu-1\nu-2\nu-1\n", DEFAULTS);

        assertEquals(ImportCommand.idempotencyKey(rows.get(0).body()), ImportCommand.idempotencyKey(rows.get(2).body()));
        assertNotEquals(ImportCommand.idempotencyKey(rows.get(0).body()),
                ImportCommand.idempotencyKey(rows.get(1).body()));
        assertTrue(ImportCommand.idempotencyKey(rows.get(0).body()).matches("import-[0-9a-f]{64}"));
    }
}
