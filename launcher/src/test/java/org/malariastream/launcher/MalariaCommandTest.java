package org.malariastream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MalariaCommandTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Malaria.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandAtEveryLevelHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(Malaria.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).extracting(p -> String.join(" ", p)).contains("stack up", "stack down", "stack status");
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: malaria");
        }
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<List<String>> out) {
        out.add(prefix);
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> next = new ArrayList<>(prefix);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }

    @Test
    void upWithoutADatasetToReplaySaysHowToGetOneBeforeStartingAnything(@TempDir Path dir) {
        Run r = run("up", "--replay", dir.resolve("nowhere").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("No dataset to replay").contains("Malaria Datasets").contains("cell_images.zip");
        assertThat(r.out()).doesNotContain("Starting");
    }

    @Test
    void unknownCommandSaysSoAndSuggests() {
        Run r = run("stak");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("stack");
    }

    @Test
    void stackUpStatusDownThroughTheCommandLineLeavesNoProcess(@TempDir Path home) {
        String dir = home.toString();
        assertThat(run("stack", "--home", dir, "status").exitCode()).isEqualTo(StackCommand.NOT_RUNNING);
        try {
            Run up = run("stack", "--home", dir, "up", "--partitions", "2");
            assertThat(up.exitCode()).as(up.err()).isZero();
            assertThat(up.out()).contains("export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:")
                    .contains("/apis/ccompat/v7").contains("Created topics: ").contains("cells.images");

            Run status = run("stack", "--home", dir, "status");
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).containsPattern("Kafka broker \\(KRaft\\) +running +pid \\d+")
                    .containsPattern("Apicurio Registry \\(Confluent API\\) +running +pid \\d+");
        } finally {
            Run down = run("stack", "--home", dir, "down");
            assertThat(down.exitCode()).isZero();
        }
        Run after = run("stack", "--home", dir, "status");
        assertThat(after.exitCode()).isEqualTo(StackCommand.NOT_RUNNING);
        assertThat(after.out()).contains("stopped");
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("malaria.stack.component"))
                .filter(p -> p.info().commandLine().orElse("").contains(dir)))
                .as("no stack process of this home left").isEmpty();
    }
}
