package dev.lethe.ledger.executor.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.executor.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixTemplatesTest {

    @Test
    void shouldFillPlaceholdersForEveryBucket() {
        final var prefixes = PrefixTemplates.expand(List.of("users/{user_id}/", "s3://b/mail/{email}/"),
                List.of("a", "b"), Fixtures.event("r1", "42", List.of()));
        assertEquals(List.of(new ObjectRef("a", "users/42/"), new ObjectRef("b", "users/42/"),
                new ObjectRef("b", "mail/42@example.com/")), prefixes);
    }

    @Test
    void shouldYieldNothingForAMissingNamespace() {
        assertEquals(List.of(), PrefixTemplates.expand(List.of("d/{device_id}/"), List.of("a"),
                Fixtures.event("r1", "42", List.of())));
    }

    @Test
    void shouldRefuseTemplatesThatCouldEraseOtherSubjects() {
        assertThrows(IllegalArgumentException.class, () -> PrefixTemplates.validate("users/"));
        assertThrows(IllegalArgumentException.class, () -> PrefixTemplates.validate("users/{user_id}"));
        assertThrows(IllegalArgumentException.class, () -> PrefixTemplates.expand(List.of("s3://c/{user_id}/"),
                List.of("a"), Fixtures.event("r1", "42", List.of())));
    }
}
