package dev.lethe.ledger.domain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A request's data key as the ledger keeps it: wrapped by the key-encryption key {@code kekId}
 * (opaque bytes here; the crypto lives outside the domain). Present from the request's arrival
 * until {@code LETHE_FORGET_AFTER} after it finished, when it is destroyed (crypto-shredding).
 */
public record WrappedKey(String kekId, byte[] wrapped) {

    public WrappedKey {
        wrapped = wrapped.clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedKey k && k.kekId.equals(kekId) && Arrays.equals(k.wrapped, wrapped);
    }

    @Override
    public int hashCode() {
        return 31 * kekId.hashCode() + Arrays.hashCode(wrapped);
    }

    @Override
    public String toString() {
        return "WrappedKey[" + kekId + ", " + HexFormat.of().formatHex(wrapped, 0, Math.min(4, wrapped.length)) + "…]";
    }
}
