package org.malariastream.classifier.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A fingerprint of a training set: SHA-256 over the sorted lines {@code "<Class>/<file> <sha256 of file>\n"},
 * so it changes when any image, label or file name changes.
 */
public final class DatasetDigest {

    private DatasetDigest() {}

    public static String of(List<CellFile> files) throws IOException {
        try {
            List<String> lines = new ArrayList<>(files.size());
            byte[] buf = new byte[1 << 16];
            for (CellFile f : files) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(f.path())) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                }
                lines.add(f.label().directory() + "/" + f.fileName() + " " + HexFormat.of().formatHex(md.digest()) + "\n");
            }
            lines.sort(null);
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            for (String l : lines) {
                all.update(l.getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(all.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
