package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.ApprovalPolicy;
import dev.lethe.ledger.domain.LedgerPolicy;
import java.time.Instant;
import java.time.Period;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {

    @Test
    void shouldDefaultToAutomaticApprovalAndStatutoryPeriods() {
        final LedgerPolicy policy = PolicyConfig.fromEnvironment(Map.of());

        assertNull(policy.approval().match("GDPR", "anyone"));
        assertEquals(Period.ofMonths(1), policy.deadlines().get("GDPR"));
        assertEquals(Period.ofDays(45), policy.deadlines().get("CCPA"));
        assertEquals(Period.ofDays(10), policy.deadlines().get("PIPA"));
        assertEquals(new LedgerPolicy.Extension(Period.ofMonths(2), Period.ofMonths(2)), policy.extensions().get("GDPR"));
        assertEquals(new LedgerPolicy.Extension(Period.ofDays(45), Period.ofDays(45)), policy.extensions().get("CCPA"));
        assertFalse(policy.extensions().containsKey("PIPA"));
    }

    @Test
    void shouldReadManualAndRuleLists() {
        assertTrue(PolicyConfig.fromEnvironment(Map.of("LETHE_APPROVAL", "manual")).approval()
                .match("CCPA", "x").manual());
        final ApprovalPolicy rules = PolicyConfig.fromEnvironment(Map.of("LETHE_APPROVAL",
                "auto:source=accounts-service, manual:jurisdiction=gdpr")).approval();
        assertFalse(rules.match("GDPR", "accounts-service").manual());
        assertTrue(rules.match("GDPR", "portal").manual());
        assertNull(rules.match("CCPA", "portal"));
        assertEquals("auto:source=accounts-service,manual:GDPR", rules.toString());
    }

    @Test
    void shouldOverrideDeadlinesAndExtensions() {
        final LedgerPolicy policy = PolicyConfig.fromEnvironment(Map.of(
                "LETHE_DEADLINES", "pipa=P14D, LGPD=P15D",
                "LETHE_DEFAULT_DEADLINE", "P20D",
                "LETHE_EXTENSIONS", "GDPR=P1M/P2M,CCPA=none,PIPA=P10D"));

        assertEquals(Period.ofDays(14), policy.deadlines().get("PIPA"));
        assertEquals(Instant.parse("2026-01-16T00:00:00Z"), policy.deadline("LGPD", Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals(Instant.parse("2026-01-21T00:00:00Z"), policy.deadline("APPI", Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals(new LedgerPolicy.Extension(Period.ofMonths(1), Period.ofMonths(2)), policy.extensions().get("GDPR"));
        assertFalse(policy.extensions().containsKey("CCPA"));
        assertEquals(new LedgerPolicy.Extension(Period.ofDays(10), Period.ofDays(10)), policy.extensions().get("PIPA"));
    }

    @Test
    void shouldFailWithAMessageThatNamesTheBadSetting() {
        assertMessage("LETHE_APPROVAL", Map.of("LETHE_APPROVAL", "sometimes"));
        assertMessage("LETHE_APPROVAL", Map.of("LETHE_APPROVAL", "manual:colour=blue"));
        assertMessage("LETHE_APPROVAL", Map.of("LETHE_APPROVAL", "manual:GDPR,,auto"));
        assertMessage("LETHE_DEADLINES", Map.of("LETHE_DEADLINES", "GDPR=one month"));
        assertMessage("LETHE_DEADLINES", Map.of("LETHE_DEADLINES", "GDPR"));
        assertMessage("LETHE_DEADLINES", Map.of("LETHE_DEADLINES", "GDPR=P0D"));
        assertMessage("LETHE_DEFAULT_DEADLINE", Map.of("LETHE_DEFAULT_DEADLINE", "30"));
        assertMessage("LETHE_EXTENSIONS", Map.of("LETHE_EXTENSIONS", "GDPR=P1M/P2M/P3M"));
    }

    private static void assertMessage(String variable, Map<String, String> env) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolicyConfig.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith(variable), e.getMessage());
    }
}
