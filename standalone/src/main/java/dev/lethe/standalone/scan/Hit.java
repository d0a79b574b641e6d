package dev.lethe.standalone.scan;

import java.util.List;

/**
 * The places in one container (a topic, a file, a RocksDB store) where one form of one value was
 * found: how many times, and the first few places ({@code p1@42 value}, {@code byte 4096},
 * {@code entry 7 key}). Never the value, nor a key or a line that could hold it.
 *
 * @param value     the value's position in the input, from 1
 * @param valueTag  how the report names the value ({@link SearchedValue#tag()})
 * @param source    what kind of place
 * @param container the topic name, or the file or store path
 * @param encoding  the byte form that matched ({@code utf-8}, {@code json}, {@code base64}, …)
 * @param count     how many times
 * @param examples  the first places, at most {@value ScanReport#EXAMPLES}
 */
public record Hit(int value, String valueTag, Source source, String container, String encoding, long count,
                  List<String> examples) {

    /** The kinds of places the scan reads. */
    public enum Source {
        /** A record of a topic (key, value or a header), read through a consumer. */
        TOPIC,
        /** The raw bytes of a file under a state directory (RocksDB files, checkpoints, …). */
        STATE_FILE,
        /** An entry of a RocksDB store under a state directory, opened read-only with RocksDB. */
        STATE_STORE,
        /** The raw bytes of a file under the broker's data directory (log segments, indexes, snapshots). */
        BROKER_FILE,
        /** A log file (gzip-compressed ones are read uncompressed). */
        LOG_FILE
    }
}
