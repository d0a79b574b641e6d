package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListPageTest {

    @Test
    void shouldMergePartsInKeyOrderAndStopAtTheLimit() {
        final ListPage a = page(null, "01", "04", "05");
        final ListPage b = page(null, "02", "03");

        final ListPage merged = ListPage.merge(List.of(a, b), 3);

        assertEquals(List.of("01", "02", "03"), keys(merged));
        assertEquals("03", merged.next());
    }

    @Test
    void shouldEndTheListWhenEveryPartIsComplete() {
        final ListPage merged = ListPage.merge(List.of(page(null, "01"), page(null, "02")), 5);

        assertEquals(List.of("01", "02"), keys(merged));
        assertNull(merged.next());
    }

    @Test
    void shouldNotPassAPartThatStoppedEarly() {
        // Given one part that stopped after 02 (its scan budget ran out): it may hold 03 too
        final ListPage stopped = page("02", "01");
        final ListPage complete = page(null, "03", "04");

        final ListPage merged = ListPage.merge(List.of(stopped, complete), 10);

        // Then nothing after 02 is returned yet, and the next page starts after 02
        assertEquals(List.of("01"), keys(merged));
        assertEquals("02", merged.next());
    }

    @Test
    void shouldLoseNothingAcrossPages() {
        // Given three parts holding 1..9 interleaved
        final List<List<String>> parts = List.of(List.of("1", "4", "7"), List.of("2", "5", "8"), List.of("3", "6", "9"));
        String after = null;
        final java.util.ArrayList<String> seen = new java.util.ArrayList<>();
        do {
            final String cursor = after;
            final List<ListPage> answers = parts.stream().map(keys -> {
                final List<String> rest = keys.stream().filter(k -> cursor == null || k.compareTo(cursor) > 0).toList();
                final List<String> firstTwo = rest.stream().limit(2).toList();
                return page(rest.size() > 2 || firstTwo.size() == 2 ? firstTwo.get(firstTwo.size() - 1) : null,
                        firstTwo.toArray(String[]::new));
            }).toList();
            final ListPage merged = ListPage.merge(answers, 2);
            seen.addAll(keys(merged));
            after = merged.next();
        } while (after != null);

        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), seen);
    }

    @Test
    void shouldListARequestHeldByATaskStoreAndTheArchiveOnceWithTheTaskStoresEntry() {
        // Given a request archived but not yet released: the owner's part and the archive's part both hold it
        final ListPage owner = new ListPage(List.of(new ListPage.Entry("02", null)), null);
        final ListPage archive = new ListPage(List.of(new ListPage.Entry("01", null),
                new ListPage.Entry("02", null), new ListPage.Entry("03", null)), null);

        final ListPage merged = ListPage.merge(List.of(owner, archive), 10);

        // Then it is listed once, and the entry kept is the first part's (the task store's, the freshest)
        assertEquals(List.of("01", "02", "03"), keys(merged));
        org.junit.jupiter.api.Assertions.assertSame(owner.items().get(0), merged.items().get(1));
        assertNull(merged.next());
    }

    @Test
    void shouldCountARequestListedTwiceOnceTowardsTheLimit() {
        final ListPage owner = page(null, "01", "02");
        final ListPage archive = page(null, "01", "02", "03");

        final ListPage merged = ListPage.merge(List.of(owner, archive), 2);

        assertEquals(List.of("01", "02"), keys(merged));
        assertEquals("02", merged.next());
    }

    private static ListPage page(String bound, String... keys) {
        return new ListPage(java.util.Arrays.stream(keys).map(k -> new ListPage.Entry(k, null)).toList(), bound);
    }

    private static List<String> keys(ListPage page) {
        return page.items().stream().map(ListPage.Entry::sortKey).toList();
    }
}
