package org.malariastream.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model code (data, preprocessing, network, training, evaluation) stays apart from the Kafka plumbing. */
class ModelHasNoKafkaTest {
    @Test
    void noModelSourceImportsKafkaOrTheService() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/malariastream/classifier/model"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(20);
        for (Path source : sources) {
            assertThat(Files.readAllLines(source)).as(source.toString())
                    .noneMatch(line -> line.startsWith("import org.apache.kafka")
                            || line.startsWith("import org.malariastream.classifier.service")
                            || line.startsWith("import org.malariastream.schemas"));
        }
    }
}
