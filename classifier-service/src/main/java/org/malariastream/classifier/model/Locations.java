package org.malariastream.classifier.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared data, the pretrained backbone and the committed models are. Each lookup takes,
 * in order: an explicit value (a command-line flag), an environment variable, a system property,
 * then a default relative to the working directory or the repository.
 */
public final class Locations {

    /** The folder under {@code models/} of the committed default model. */
    public static final String DEFAULT_MODEL = "malaria-mnv2-v4";
    public static final String ENV_SHARED = "MALARIA_SHARED_DIR";
    public static final String PROP_SHARED = "malaria.shared.dir";
    public static final String ENV_BACKBONE = "MALARIA_BACKBONE";
    public static final String ENV_MODEL = "MALARIA_MODEL";
    public static final String PROP_REPO = "malaria.repo.dir";
    public static final String BACKBONE_RELATIVE = "models/mobilenet_v2_imagenet/mobilenet_v2_features.pt";
    public static final String IMAGES_RELATIVE = "data/malaria-cells/cell_images";

    private Locations() {}

    /** flag → {@code MALARIA_SHARED_DIR} → {@code -Dmalaria.shared.dir} → {@code ../shared}. */
    public static Path sharedDir(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv(ENV_SHARED);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty(PROP_SHARED);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of("..", "shared");
    }

    /** flag → {@code MALARIA_BACKBONE} → {@code <shared>/models/mobilenet_v2_imagenet/mobilenet_v2_features.pt}. */
    public static Path backbone(Path explicit, Path sharedDir) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv(ENV_BACKBONE);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return sharedDir(sharedDir).resolve(BACKBONE_RELATIVE);
    }

    /** The NIH cell images under the shared dir. */
    public static Path sharedImages(Path sharedDir) {
        return sharedDir(sharedDir).resolve(IMAGES_RELATIVE);
    }

    /**
     * The repository root: {@code -Dmalaria.repo.dir} (set by the launcher), else the nearest
     * directory at or above the working directory that holds {@code models/}.
     */
    public static Path repoDir() {
        String prop = System.getProperty(PROP_REPO);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models").resolve(DEFAULT_MODEL))) {
                return p;
            }
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return dir;
    }

    /** flag → {@code MALARIA_MODEL} → {@code <repo>/models/malaria-mnv2-v4}. */
    public static Path model(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv(ENV_MODEL);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return repoDir().resolve("models").resolve(DEFAULT_MODEL);
    }
}
