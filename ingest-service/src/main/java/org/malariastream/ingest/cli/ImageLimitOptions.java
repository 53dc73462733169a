package org.malariastream.ingest.cli;

import org.malariastream.common.image.ImageLimits;
import picocli.CommandLine.Option;

/** Size and dimension limits of accepted images, shared by every door. */
final class ImageLimitOptions {
    @Option(names = "--max-image-bytes", paramLabel = "N", defaultValue = "${env:MALARIA_INGEST_MAX_IMAGE_BYTES:-1000000}",
            description = "Largest accepted image (and HTTP body). Env: MALARIA_INGEST_MAX_IMAGE_BYTES. Default: ${DEFAULT-VALUE}.")
    int maxBytes;

    @Option(names = "--max-image-side", paramLabel = "PX", defaultValue = "${env:MALARIA_INGEST_MAX_IMAGE_SIDE:-2048}",
            description = "Largest accepted width or height, from the image header. Env: MALARIA_INGEST_MAX_IMAGE_SIDE."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxSide;

    ImageLimits limits() {
        return new ImageLimits(maxBytes, ImageLimits.DEFAULT.minSide(), maxSide);
    }
}
