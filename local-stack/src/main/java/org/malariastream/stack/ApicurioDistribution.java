package org.malariastream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the Apicurio Registry distribution (from Maven Central, unpacked by this module's build) lives.
 * {@code MALARIA_APICURIO_HOME} or {@code -Dmalaria.apicurio.home} point at another copy.
 */
public final class ApicurioDistribution {
    private static final String RUNNER = "apicurio-registry-app-%s-runner.jar";

    private final Path home;
    private final String version;

    private ApicurioDistribution(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    public static ApicurioDistribution locate() {
        Properties built = builtProperties();
        String version = built.getProperty("apicurio.version");
        String configured = System.getProperty("malaria.apicurio.home", System.getenv("MALARIA_APICURIO_HOME"));
        Path home = Path.of(configured != null ? configured : built.getProperty("apicurio.home"));
        ApicurioDistribution dist = new ApicurioDistribution(home, version);
        if (!Files.isRegularFile(dist.runnerJar())) {
            throw new IllegalStateException("Apicurio Registry " + version + " is not unpacked at " + home
                    + ". Build the local-stack module (mvn -pl local-stack package) or set MALARIA_APICURIO_HOME"
                    + " to a directory holding " + dist.runnerJar().getFileName());
        }
        return dist;
    }

    private static Properties builtProperties() {
        Properties props = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream("local-stack.properties")) {
            if (in == null) {
                throw new IllegalStateException("local-stack.properties missing from the classpath");
            }
            props.load(in);
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path runnerJar() {
        return home.resolve(String.format(RUNNER, version));
    }

    public String version() {
        return version;
    }
}
