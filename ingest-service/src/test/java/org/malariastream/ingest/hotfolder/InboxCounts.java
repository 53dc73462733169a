package org.malariastream.ingest.hotfolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files in a hot folder, by where they are, for the tests that count that nothing was lost. The watcher
 * moves files while these count, so each count is one walk, taken again when a file vanishes under it.
 */
public final class InboxCounts {
    private InboxCounts() {}

    public static int done(Path inbox) throws IOException {
        return (int) snapshot(inbox).stream().filter(p -> p.startsWith(HotFolder.DONE)).count();
    }

    public static int rejected(Path inbox) throws IOException {
        return (int) snapshot(inbox).stream().filter(p -> p.startsWith(HotFolder.REJECTED)).count();
    }

    /** Files still waiting in the inbox: everything but done/ and rejected/. */
    public static int waiting(Path inbox) throws IOException {
        return (int) snapshot(inbox).stream()
                .filter(p -> !p.startsWith(HotFolder.DONE) && !p.startsWith(HotFolder.REJECTED)).count();
    }

    /** Regular files under {@code inbox}, relative to it. */
    private static List<Path> snapshot(Path inbox) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (!Files.exists(inbox)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(inbox)) {
                return files.filter(Files::isRegularFile).map(inbox::relativize).toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt >= 20) {
                    throw e;
                }
            } catch (NoSuchFileException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }
}
