package dev.lethe.standalone.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adds up the occurrences the readers find into one {@link Hit} per value, source, container and form. */
final class HitCollector {

    private record Key(int value, Hit.Source source, String container, String encoding) {
    }

    private static final class Count {
        private final String tag;
        private long count;
        private final List<String> examples = new ArrayList<>();

        Count(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Key, Count> counts = new LinkedHashMap<>();

    /** One occurrence; {@code place} is how the container locates it ({@code p0@12 value}, {@code byte 40}). */
    synchronized void add(SearchedValue value, SearchedValue.Pattern pattern, Hit.Source source, String container,
                          String place) {
        final Count count = counts.computeIfAbsent(new Key(value.index(), source, container, pattern.encoding()),
                key -> new Count(value.tag()));
        count.count++;
        if (count.examples.size() < ScanReport.EXAMPLES && !count.examples.contains(place)) {
            count.examples.add(place);
        }
    }

    synchronized List<Hit> hits() {
        return counts.entrySet().stream().map(entry -> new Hit(entry.getKey().value(), entry.getValue().tag,
                entry.getKey().source(), entry.getKey().container(), entry.getKey().encoding(),
                entry.getValue().count, List.copyOf(entry.getValue().examples))).toList();
    }
}
