package dev.lethe.gateway.opendsr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RefusalReasonTest {

    @Test
    void shouldAuditAShortPrintableReasonNotTheForgersClaimVerbatim() {
        final String claimed = "evil\u202e\n" + "x".repeat(1000) + ".example";

        final String audited = ProcessorCallbackHandler.reason("certificate not issued to " + claimed);

        assertTrue(audited.length() <= ProcessorCallbackHandler.MAX_REASON + 3, audited);
        assertTrue(audited.chars().allMatch(c -> c >= 0x20 && c < 0x7f), audited);
        assertTrue(audited.startsWith("certificate not issued to evil??"), audited);
        assertEquals("signature refused", ProcessorCallbackHandler.reason(null));
    }
}
