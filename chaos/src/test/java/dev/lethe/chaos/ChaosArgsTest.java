package dev.lethe.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosArgsTest {

    @Test
    void shouldRunTheShortSetWithOneKillAndAThousandFuzzInputsWhenShort() {
        final ChaosArgs args = ChaosArgs.parse("--short");

        assertEquals(List.of("ledger-kill", "broker-kill", "fuzz"), args.only());
        assertEquals(1, args.ledgerKills());
        assertEquals(1_000, args.fuzzInputs());
    }

    @Test
    void shouldRunEveryScenarioWithTenLedgerKillsAndTenThousandFuzzInputsByDefault() {
        final ChaosArgs args = ChaosArgs.parse();

        assertEquals(ChaosArgs.ALL, args.only());
        assertEquals(10, args.ledgerKills());
        assertEquals(10_000, args.fuzzInputs());
    }

    @Test
    void refusesAnUnknownScenario() {
        assertThrows(IllegalArgumentException.class, () -> ChaosArgs.parse("--only", "ledger-kill,meteor"));
    }
}
