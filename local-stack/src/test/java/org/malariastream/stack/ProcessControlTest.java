package org.malariastream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A detached child that its JVM still owns is stopped with the JVM, on a signal too. */
class ProcessControlTest {
    /** Starts a detached child as the stack does, prints its pid, and waits to be stopped. */
    public static void main(String[] args) throws Exception {
        Process child = new ProcessBuilder(ProcessControl.detached(List.of("sleep", "300"))).start();
        Thread hook = ProcessControl.stopOnExit(child);
        if (args.length > 0 && args[0].equals("release")) {
            ProcessControl.release(hook);
        }
        System.out.println(child.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }

    private static long childOfAJvmStoppedBySigterm(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), ProcessControlTest.class.getName()));
        cmd.addAll(List.of(args));
        Process jvm = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        long pid = Long.parseLong(out.readLine().trim());
        jvm.destroy(); // SIGTERM, as a Ctrl-C or a supervisor would stop it
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return pid;
    }

    @Test
    void aChildStillOwnedIsStoppedWhenItsJvmIsStopped() throws Exception {
        long pid = childOfAJvmStoppedBySigterm();
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    @Test
    void aReleasedChildOutlivesItsJvm() throws Exception {
        long pid = childOfAJvmStoppedBySigterm("release");
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        try {
            assertThat(child.isAlive()).as("handed over, as `stack up` hands over a started stack").isTrue();
        } finally {
            ProcessControl.stop(child, Duration.ofSeconds(5));
        }
    }
}
