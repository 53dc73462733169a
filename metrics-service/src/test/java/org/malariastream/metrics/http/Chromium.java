package org.malariastream.metrics.http;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium and ChromeDriver for the browser test. When they are missing and this runs as root
 * with apt (CI runs as root on a fresh machine), the test installs them itself; only where that is
 * impossible is the browser test skipped, saying why.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    static synchronized void ensureInstalled(Path logDir) {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        String missing = "needs " + BROWSER + " and " + DRIVER + " (Debian: apt-get install chromium chromium-driver)";
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "browser test skipped: no apt-get, " + missing);
        Assumptions.assumeTrue(isRoot(), "browser test skipped: not root, so it cannot install them; " + missing);
        Path log = logDir.resolve("chromium-install.log");
        try {
            Files.createDirectories(logDir);
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "update"), log);
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends",
                    "chromium", "chromium-driver"), log);
        } catch (IOException e) {
            Assumptions.abort("browser test skipped: installing Chromium failed (" + e.getMessage() + "), see " + log);
        }
        Assumptions.assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "browser test skipped: apt-get ran but " + missing + "; see " + log);
    }

    private static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).trim();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        try {
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 15 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    static File driverFile() {
        return DRIVER.toFile();
    }
}
