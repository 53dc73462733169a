package org.malariastream.classifier.cli;

import java.nio.file.Path;
import org.malariastream.classifier.model.Locations;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --images} and {@code --shared}: where a command finds the cell images (a picocli mixin). */
final class DatasetOptions {

    @Option(names = "--images", paramLabel = "DIR",
            description = "Dataset directory in the NIH layout (default: <shared>/" + Locations.IMAGES_RELATIVE + ").")
    Path images;

    @Option(names = "--shared", paramLabel = "DIR",
            description = "Shared data directory (default: $" + Locations.ENV_SHARED + ", -D" + Locations.PROP_SHARED
                    + ", else ../shared).")
    Path shared;

    /** The images directory; a usage error naming the way to set it when it does not exist. */
    Path imagesDir(CommandLine cmd) {
        return CliSupport.imagesDir(images, shared, cmd);
    }
}
