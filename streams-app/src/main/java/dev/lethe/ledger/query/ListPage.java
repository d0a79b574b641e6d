package dev.lethe.ledger.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A part of a list in index order, from one partition, one instance or the whole cluster.
 * {@code bound} is null when the part saw everything up to the end of its range; otherwise the
 * part stopped early (page full or scan budget spent) and saw nothing past {@code bound}.
 *
 * <p>{@link #merge} is what makes fan-out correct: an item past some part's bound cannot be
 * returned yet (that part may hold items before it), so the merged page ends at the smallest
 * bound and the next page starts there. Equal sort keys are one request held in two places (a
 * task store and the ledger's archive, between archiving and release): it is listed once, with
 * the entry of the part given first (the task store's, which {@code QueryServer} puts before the
 * archive's).
 */
public record ListPage(List<Entry> items, String bound) {

    /** One request with its index key. */
    public record Entry(String sortKey, RequestView request) {
    }

    public ListPage {
        items = List.copyOf(items);
    }

    public static ListPage merge(List<ListPage> parts, int limit) {
        final String bound = parts.stream().map(ListPage::bound).filter(b -> b != null)
                .min(Comparator.naturalOrder()).orElse(null);
        final List<Entry> merged = new ArrayList<>();
        parts.forEach(part -> merged.addAll(part.items()));
        merged.sort(Comparator.comparing(Entry::sortKey)); // stable: of equal keys, the first part's comes first
        final List<Entry> page = new ArrayList<>();
        String previous = null;
        for (Entry entry : merged) {
            if (bound != null && entry.sortKey().compareTo(bound) > 0) {
                break;
            }
            if (entry.sortKey().equals(previous)) {
                continue;
            }
            previous = entry.sortKey();
            if (page.size() == limit) {
                return new ListPage(page, page.get(page.size() - 1).sortKey());
            }
            page.add(entry);
        }
        return new ListPage(page, bound);
    }

    /** The sort key to continue after, or null when the list is complete. */
    public String next() {
        return bound;
    }
}
