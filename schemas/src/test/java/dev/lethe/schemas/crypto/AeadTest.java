package dev.lethe.schemas.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** AES-GCM sealing, many times over on one thread (its cipher is reused), with keys and values that change. */
class AeadTest {

    private static final byte[] TEXT = "user_id:u-42".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldOpenEveryValueSealedInTurnUnderDifferentKeysOnOneThread() {
        for (int i = 0; i < 50; i++) {
            final byte[] key = Aead.newKey();
            final byte[] value = Arrays.copyOf(TEXT, TEXT.length + i);
            final byte[] sealed = Aead.seal(key, "r-" + i, value);
            final byte[] other = Aead.seal(Aead.newKey(), "r-" + i, value);

            assertArrayEquals(value, Aead.open(key, "r-" + i, sealed));
            assertNotEquals(Arrays.toString(sealed), Arrays.toString(Aead.seal(key, "r-" + i, value)),
                    "a fresh nonce every time");
            assertThrows(SealException.class, () -> Aead.open(key, "r-" + 1000, sealed), "another request's data");
            assertThrows(SealException.class, () -> Aead.open(key, "r-" + 1000, other), "another key");
        }
    }

    @Test
    void shouldOpenAgainAfterAValueThatDidNotOpen() {
        final byte[] key = Aead.newKey();
        final byte[] sealed = Aead.seal(key, "r-1", TEXT);
        final byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThrows(SealException.class, () -> Aead.open(key, "r-1", tampered));

        assertArrayEquals(TEXT, Aead.open(key, "r-1", sealed));
        assertArrayEquals(TEXT, Aead.open(key, "r-1", Aead.seal(key, "r-1", TEXT)));
    }

    @Test
    void shouldSealAndOpenOnManyThreadsAtOnce() throws Exception {
        final byte[] key = Aead.newKey();
        final Thread[] threads = new Thread[4];
        final Throwable[] failures = new Throwable[threads.length];
        for (int t = 0; t < threads.length; t++) {
            final int n = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        final String associated = "r-" + n + "-" + i;
                        assertArrayEquals(TEXT, Aead.open(key, associated, Aead.seal(key, associated, TEXT)));
                    }
                } catch (Throwable e) {
                    failures[n] = e;
                }
            });
            threads[t].start();
        }
        for (int t = 0; t < threads.length; t++) {
            threads[t].join();
            if (failures[t] != null) {
                throw new AssertionError("thread " + t + " failed", failures[t]);
            }
        }
    }
}
