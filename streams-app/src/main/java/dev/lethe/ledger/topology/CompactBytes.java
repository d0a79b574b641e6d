package dev.lethe.ledger.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The primitives of the ledger's compact store encodings ({@link StateSerde}, {@link AuditSerde}):
 * zig-zag varints, length-prefixed UTF-8 strings (length + 1, 0 for none), times as a presence
 * byte and epoch milliseconds (the precision Avro's {@code timestamp-millis} kept), lists as a
 * count and their items. No schema travels with the value: the format's tag and version byte at
 * its start say how to read it.
 */
final class CompactBytes {

    private CompactBytes() {
    }

    /** Appends to a growing buffer. */
    static final class Writer {
        private byte[] buf;
        private int len;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        Writer raw(int b) {
            room(1);
            buf[len++] = (byte) b;
            return this;
        }

        /** A length (varint) and the bytes. */
        Writer bytes(byte[] value) {
            varInt(value.length);
            room(value.length);
            System.arraycopy(value, 0, buf, len, value.length);
            len += value.length;
            return this;
        }

        Writer varLong(long value) {
            long v = (value << 1) ^ (value >> 63);
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        Writer varInt(int value) {
            return varLong(value);
        }

        Writer bool(boolean value) {
            return raw(value ? 1 : 0);
        }

        Writer string(String value) {
            if (value == null) {
                return varInt(0);
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varInt(bytes.length + 1);
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
            return this;
        }

        /** A string as Avro writes one: the UTF-8 length, then the bytes (never null). */
        Writer utf8(String value) {
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varInt(bytes.length);
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
            return this;
        }

        Writer time(Instant value) {
            if (value == null) {
                return raw(0);
            }
            return raw(1).varLong(value.toEpochMilli());
        }

        Writer optionalLong(Long value) {
            return value == null ? raw(0) : raw(1).varLong(value);
        }

        Writer name(Enum<?> value) {
            return string(value == null ? null : value.name());
        }

        Writer strings(List<String> values) {
            varInt(values.size());
            values.forEach(this::string);
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads what a {@link Writer} wrote; a value cut short or out of range is a {@link SerializationException}. */
    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int raw() {
            if (pos >= buf.length) {
                throw new SerializationException("compact value cut short at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        long varLong() {
            long v = 0;
            int shift = 0;
            int b;
            do {
                if (shift > 63) {
                    throw new SerializationException("malformed varint at byte " + pos);
                }
                b = raw();
                v |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return (v >>> 1) ^ -(v & 1);
        }

        int varInt() {
            final long value = varLong();
            if (value != (int) value) {
                throw new SerializationException("compact int out of range at byte " + pos + ": " + value);
            }
            return (int) value;
        }

        boolean bool() {
            return raw() != 0;
        }

        byte[] bytes() {
            final int length = varInt();
            if (length < 0 || pos + length > buf.length) {
                throw new SerializationException("compact bytes of " + length + " cut short at byte " + pos);
            }
            final byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
            pos += length;
            return out;
        }

        String string() {
            final int n = varInt();
            if (n == 0) {
                return null;
            }
            final int length = n - 1;
            if (length < 0 || pos + length > buf.length) {
                throw new SerializationException("compact string of " + length + " bytes cut short at byte " + pos);
            }
            final String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        Instant time() {
            return raw() == 0 ? null : Instant.ofEpochMilli(varLong());
        }

        Long optionalLong() {
            return raw() == 0 ? null : varLong();
        }

        <E extends Enum<E>> E name(Class<E> type) {
            final String name = string();
            if (name == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("unknown " + type.getSimpleName() + " " + name + " before byte " + pos);
            }
        }

        List<String> strings() {
            return list(r -> r.string());
        }

        <T> List<T> list(Function<Reader, T> item) {
            final int n = varInt();
            if (n < 0 || n > buf.length - pos) {
                throw new SerializationException("compact list of " + n + " items at byte " + pos);
            }
            final List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(item.apply(this));
            }
            return out;
        }

        boolean atEnd() {
            return pos == buf.length;
        }
    }
}
