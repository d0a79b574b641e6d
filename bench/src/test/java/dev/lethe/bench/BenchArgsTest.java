package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    private static final List<String> STAGES = List.of("ledger", "intake", "status", "e2e", "scale", "restore");

    @Test
    void shouldRunEveryStageWithThreeRoundsByDefault() {
        final BenchArgs args = BenchArgs.parse(new String[0], STAGES);

        assertFalse(args.longRun());
        assertEquals(Set.copyOf(STAGES), args.only());
        assertEquals(3, args.rounds());
        assertEquals(Path.of("bench-results"), args.outDir());
    }

    @Test
    void shouldTakeFiveRoundsForTheLongRun() {
        final BenchArgs args = BenchArgs.parse(new String[] {"--long"}, STAGES);

        assertTrue(args.longRun());
        assertEquals(5, args.rounds());
    }

    @Test
    void shouldRunOnlyTheNamedStages() {
        final BenchArgs args = BenchArgs.parse(new String[] {"--only", "ledger, e2e", "--rounds", "2"}, STAGES);

        assertTrue(args.runs("ledger"));
        assertTrue(args.runs("e2e"));
        assertFalse(args.runs("scale"));
        assertEquals(2, args.rounds());
    }

    @Test
    void shouldNameTheUnknownStage() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"--only", "ledger,s3x"}, STAGES));

        assertTrue(e.getMessage().contains("s3x"), e.getMessage());
    }

    @Test
    void shouldRefuseBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--fast"}, STAGES));
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--only"}, STAGES));
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--only", ","}, STAGES));
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--rounds", "0"}, STAGES));
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--rounds", "x"}, STAGES));
        assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"--rounds", "--long"}, STAGES));
    }

    @Test
    void shouldTakeAnOutputFolder() {
        assertEquals(Path.of("/tmp/b"), BenchArgs.parse(new String[] {"--out", "/tmp/b"}, STAGES).outDir());
    }
}
