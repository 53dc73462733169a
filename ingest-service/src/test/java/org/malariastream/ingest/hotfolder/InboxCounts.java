package org.malariastream.ingest.hotfolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Files in a hot folder, by where they are, for the tests that count that nothing was lost. */
public final class InboxCounts {
    private InboxCounts() {}

    public static int files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }

    public static int done(Path inbox) throws IOException {
        return files(inbox.resolve(HotFolder.DONE));
    }

    public static int rejected(Path inbox) throws IOException {
        return files(inbox.resolve(HotFolder.REJECTED));
    }

    /** Files still waiting in the inbox: everything but done/ and rejected/. */
    public static int waiting(Path inbox) throws IOException {
        return files(inbox) - done(inbox) - rejected(inbox);
    }
}
