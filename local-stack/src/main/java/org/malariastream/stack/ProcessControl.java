package org.malariastream.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting detached child processes, and stopping them: SIGTERM, a grace period, then SIGKILL. */
final class ProcessControl {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ProcessControl() {}

    /**
     * The command run in a session of its own where {@code setsid} exists: a Ctrl-C in the terminal then
     * reaches only the launcher, which stops its services before the broker and registry they write to.
     */
    static List<String> detached(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> out = new ArrayList<>(command.size() + 1);
        out.add(SETSID.toString());
        out.addAll(command);
        return out;
    }

    /**
     * Stops the process when this JVM exits, on a signal too, until {@link #release} hands it over: a detached
     * child gets no Ctrl-C, so one still starting when its JVM is stopped would otherwise run on, untracked.
     */
    static Thread stopOnExit(Process process) {
        Thread hook = new Thread(() -> stop(process.toHandle(), Duration.ofSeconds(5)), "stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** The process may outlive this JVM from now on (it is running, and its pid is recorded). */
    static void release(Thread stopOnExit) {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, which is what a JVM that is going away should do
        }
    }

    /** Returns true when the process ended within the grace period, false when it had to be killed. */
    static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            process.onExit().join();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
