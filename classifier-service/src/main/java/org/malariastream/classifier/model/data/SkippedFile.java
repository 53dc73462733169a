package org.malariastream.classifier.model.data;

import java.nio.file.Path;

/** A file of a dataset directory that was left out, and why. */
public record SkippedFile(Path path, String reason) {}
