package org.malariastream.common;

import java.nio.file.Path;

/**
 * Where the shared dataset and backbone are: {@code MALARIA_SHARED_DIR}, else {@code -Dmalaria.shared.dir}
 * (which ./malaria sets to the repo's {@code ../shared}), else {@code ../shared} from the working directory.
 */
public final class SharedData {
    public static final String ENV = "MALARIA_SHARED_DIR";
    public static final String PROPERTY = "malaria.shared.dir";
    public static final String CELL_IMAGES = "data/malaria-cells/cell_images";

    private SharedData() {}

    public static Path dir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of("..", "shared");
    }

    /** The NIH cell images ({@code Parasitized/}, {@code Uninfected/}). */
    public static Path cellImages() {
        return dir().resolve(CELL_IMAGES);
    }
}
