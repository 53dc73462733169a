package org.malariastream.ingest.hotfolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells when a file is complete: a scanner may still be writing it. A file counts as settled once two
 * looks at least a scan apart saw the same size and modification time, and that time is older than the
 * settle period. Scanners that write under a hidden or {@code .part} name and rename when done are safe
 * without waiting; the hot folder ignores such names.
 */
final class FileSettling {
    private record Look(long size, long modifiedMillis) {}

    private final Duration settle;
    private final Map<Path, Look> lastLook = new HashMap<>();

    FileSettling(Duration settle) {
        this.settle = settle;
    }

    boolean isSettled(Path file, long nowMillis) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        Look now = new Look(attrs.size(), attrs.lastModifiedTime().toMillis());
        Look before = lastLook.put(file, now);
        return now.equals(before) && nowMillis - now.modifiedMillis() >= settle.toMillis();
    }

    /** Forgets files no longer in the inbox, so the map does not grow for ever. */
    void retainOnly(Set<Path> present) {
        lastLook.keySet().retainAll(present);
    }
}
