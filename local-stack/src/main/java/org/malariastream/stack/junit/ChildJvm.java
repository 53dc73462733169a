package org.malariastream.stack.junit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class run as a process of its own with this JVM's class path and logging, for tests that kill a
 * service with SIGKILL ({@link Process#destroyForcibly()}) and start it again.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code mainClass} with {@code args}; its output goes to {@code log}. */
    public static Process start(Class<?> mainClass, List<String> args, Path log, String maxHeap) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path")));
        String logConfig = System.getProperty("log4j2.configurationFile");
        if (logConfig != null) {
            cmd.add("-Dlog4j2.configurationFile=" + logConfig);
        }
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }
}
