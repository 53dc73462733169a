package org.malariastream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;
import picocli.CommandLine;

@ExtendWith(LocalStackExtension.class)
class TopicsCommandTest {
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Malaria.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void createsTheTopicsOnAClusterNamedByFlagsThenFindsThemThere(LocalStack stack) {
        String[] args = {"topics", "create", "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry-url", stack.schemaRegistryUrl(), "--partitions", "2"};
        assertThat(run(args)).startsWith("Created on " + stack.bootstrapServers()).contains("cells.predictions");
        assertThat(run(args)).startsWith("All topics exist already");
    }
}
