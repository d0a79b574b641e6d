package dev.lethe.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The standalone run's generated secrets, kept under {@code <data>/secrets} with owner-only
 * permissions: the pseudonym secret (HMAC key of subject keys) and the admin token. Each is
 * generated once, on the first start, and read back on every later start.
 */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    Secrets(Path dataDir) {
        this.dir = dataDir.resolve("secrets");
    }

    /** A secret file: read it if it exists, otherwise create it with 32 random bytes as hex. */
    Generated fileOf(String name) {
        final Path file = dir.resolve(name);
        try {
            if (Files.exists(file)) {
                return new Generated(file, Files.readString(file, StandardCharsets.UTF_8).strip(), false);
            }
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            final String value = HexFormat.of().formatHex(randomBytes());
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW);
            restrict(file, "rw-------");
            return new Generated(file, value, true);
        } catch (FileAlreadyExistsException e) {
            return fileOf(name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the secret file " + file + ": " + e.getMessage(), e);
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

    /** A secret and whether this start created it. */
    record Generated(Path file, String value, boolean created) {
    }
}
