package dev.lethe.standalone;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the console's browser tests, from Debian's {@code chromium} and
 * {@code chromium-driver} packages: {@link #ensureInstalled} runs {@code src/test/browser/install-chromium.sh}
 * (which installs them with apt-get when either is missing, as CI's root user can) and fails with
 * the script's own words when it cannot. The driver is given both executables, so Selenium never
 * tries to download a browser or a driver.
 */
final class HeadlessChromium {

    static final String INSTALL_SCRIPT = "src/test/browser/install-chromium.sh";
    private static final long INSTALL_MINUTES = 10;

    private HeadlessChromium() {
    }

    /** Installs Chromium and chromedriver when missing; an {@link AssertionError} saying why when it cannot. */
    static void ensureInstalled() {
        final Path log;
        try {
            log = Files.createTempFile("install-chromium", ".log");
            final Process install = new ProcessBuilder("sh", INSTALL_SCRIPT).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            final boolean ended = install.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES);
            if (!ended) {
                install.destroyForcibly();
                throw new AssertionError("installing Chromium took longer than " + INSTALL_MINUTES
                        + " minutes; see " + log);
            }
            if (install.exitValue() != 0) {
                throw new AssertionError("the console's browser tests need Chromium and chromedriver, and "
                        + INSTALL_SCRIPT + " could not install them (exit " + install.exitValue() + "):\n"
                        + tail(Files.readString(log, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + INSTALL_SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing Chromium", e);
        }
    }

    /** A new headless Chromium session with a window of {@code width} × {@code height}. */
    static ChromeDriver start(int width, int height) {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("chromium").toString());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-US", "--force-device-scale-factor=1");
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(executable("chromedriver").toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        return new ChromeDriver(service, options);
    }

    private static Path executable(String name) {
        return find(name).orElseThrow(() -> new AssertionError(name + " is not on the PATH; run " + INSTALL_SCRIPT));
    }

    private static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            final Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }
}
