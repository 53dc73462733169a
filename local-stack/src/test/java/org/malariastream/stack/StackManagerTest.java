package org.malariastream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack as ./malaria runs it: two background processes that keep their data across down and up. */
class StackManagerTest {
    private static final String SCHEMA =
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"S\\\",\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"int\\\"}]}\"}";

    @Test
    void upStatusDownUpKeepsDataAndLeavesNoProcessBehind(@TempDir Path home) throws Exception {
        StackManager stack = new StackManager(home);
        assertThat(stack.status().stopped()).isTrue();

        try {
            upDownUp(stack, home);
        } finally {
            stack.down();
        }
    }

    private static void upDownUp(StackManager stack, Path home) throws Exception {
        StackManager.Status up = stack.up();
        assertThat(up.running()).isTrue();
        assertThat(up.broker().pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(new StackManager(home).status().running()).as("another launcher sees it running").isTrue();

        String bootstrap = stack.bootstrapServers().orElseThrow();
        String registry = stack.schemaRegistryUrl().orElseThrow();
        LocalStackTest.produce(bootstrap, "kept", "slide-9", "cell");
        String id = LocalStackTest.post(registry + "/subjects/kept-value/versions", SCHEMA).replaceAll("\\D", "");

        StackManager.Status down = stack.down();
        assertThat(down.stopped()).isTrue();
        for (StackManager.Component c : new StackManager.Component[] {up.broker(), up.registry()}) {
            assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .as(c.name() + " process gone").isFalse();
        }
        assertThat(FreePorts.isFree(Integer.parseInt(bootstrap.replaceAll(".*:", "")))).isTrue();
        assertThat(Files.readString(home.resolve("logs/broker.log"))).contains("Kafka broker listening");

        StackManager.Status again = stack.up();
        assertThat(again.running()).isTrue();
        assertThat(again.broker().address()).as("ports are kept when free").isEqualTo(up.broker().address());
        assertThat(LocalStackTest.consumeAll(again.broker().address(), "kept")).containsExactly(Map.entry("slide-9", "cell"));
        assertThat(LocalStackTest.get(again.registry().address() + "/schemas/ids/" + id)).contains("\\\"name\\\":\\\"S\\\"");
        assertThat(stack.down().stopped()).isTrue();
    }

    @Test
    void aRegistrySlowToAnswerIsWaitedForRatherThanStartedAgain(@TempDir Path home) throws Exception {
        StackManager stack = new StackManager(home);
        long registry = -1;
        try {
            registry = stack.up().registry().pid();
            signal("STOP", registry); // alive but silent, as a registry on a loaded machine can be for a while
            assertThat(stack.status().registry().running()).isFalse();
            CompletableFuture<StackManager.Status> again = CompletableFuture.supplyAsync(stack::up);
            Thread.sleep(4000);
            signal("CONT", registry);
            StackManager.Status after = again.get(120, TimeUnit.SECONDS);
            assertThat(after.running()).isTrue();
            assertThat(after.registry().pid()).as("the same registry, not a second one on its data")
                    .isEqualTo(registry);
        } finally {
            if (registry > 0) {
                signal("CONT", registry);
                ProcessHandle.of(registry).ifPresent(p -> ProcessControl.stop(p, Duration.ofSeconds(20)));
            }
            stack.down();
        }
    }

    private static void signal(String name, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
    }

    @Test
    void downOnAStackThatNeverRanIsHarmless(@TempDir Path home) {
        assertThat(new StackManager(home).down().stopped()).isTrue();
    }
}
