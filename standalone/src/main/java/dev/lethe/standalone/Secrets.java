package dev.lethe.standalone;

import dev.lethe.schemas.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The standalone run's generated secrets, kept under {@code <data>/secrets} with owner-only
 * permissions: the pseudonym secret (HMAC key of subject keys), the admin token, the internal
 * secret of the ledger's query endpoint and the embedded S3 store's keys. Each is generated once,
 * on the first start, and read back on every later start.
 *
 * <p>Two steps, so that a configuration error leaves the data folder untouched: {@link #plan}
 * reads an existing secret or makes a new one in memory, without writing anything;
 * {@link #persist} writes the new ones once every setting has been checked.
 */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    Secrets(Path dataDir) {
        this.dir = dataDir.resolve("secrets");
    }

    /** The secret {@code name}: read if its file exists, otherwise 32 new random bytes as hex, not yet written. */
    Generated plan(String name) {
        final Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return new Generated(file, HexFormat.of().formatHex(randomBytes()), true);
        }
        try {
            return new Generated(file, Files.readString(file, StandardCharsets.UTF_8).strip(), false);
        } catch (IOException e) {
            throw new ConfigException("LETHE_DATA_DIR", "cannot read the secret file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Writes a secret this start created (owner-only); does nothing for one that was read. */
    void persist(Generated secret) {
        if (!secret.created()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            Files.writeString(secret.file(), secret.value() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
            restrict(secret.file(), "rw-------");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the secret file " + secret.file() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void restrict(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** A secret, its file and whether this start creates it. */
    record Generated(Path file, String value, boolean created) {

        @Override
        public String toString() {
            return "Generated[" + file + (created ? ", new" : "") + "]";
        }
    }
}
