package dev.lethe.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleTest {

    @ParameterizedTest
    @ValueSource(strings = {"submitter", "approver", "admin", "partner:billing"})
    void shouldParseEachRoleBackToItsName(String name) {
        assertEquals(name, Role.parse(name).orElseThrow().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Admin", "partner:", "partner", "partner: billing", "owner", ""})
    void shouldNotParseAnythingElse(String text) {
        assertEquals(Optional.empty(), Role.parse(text));
    }

    @Test
    void shouldLetOnlySubmitterAndAdminSubmit() {
        assertTrue(Role.SUBMITTER.maySubmit());
        assertTrue(Role.ADMIN.maySubmit());
        assertFalse(Role.APPROVER.maySubmit());
        assertFalse(Role.partner("billing").maySubmit());
    }

    @Test
    void shouldLetAPartnerReportOnlyForItsOwnSystem() {
        assertTrue(Role.partner("billing").mayReportFor("billing"));
        assertFalse(Role.partner("billing").mayReportFor("crm"));
        assertTrue(Role.ADMIN.mayReportFor("crm"));
        assertFalse(Role.SUBMITTER.mayReportFor("billing"));
    }
}
