package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.malariastream.classifier.model.Locations;
import picocli.CommandLine;

/** Shared bits of the model commands. */
final class CliSupport {

    private CliSupport() {}

    /** {@code --images} or the NIH images under the shared dir; must be a directory. */
    static Path imagesDir(Path images, Path shared, CommandLine cmd) {
        Path dir = images != null ? images : Locations.sharedImages(shared);
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cmd, "images directory not found: " + dir.toAbsolutePath()
                    + (images == null ? " (pass --images DIR, or set --shared / " + Locations.ENV_SHARED + ")" : ""));
        }
        return dir;
    }

    /** Runs a command and maps expected failures to a one-line error and exit code 1. */
    static int run(CommandLine cmd, ThrowingCall call) {
        PrintWriter err = cmd.getErr();
        try {
            return call.call();
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (IllegalArgumentException | java.io.IOException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            err.flush();
            return 1;
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        int call() throws Exception;
    }

    static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
    }

    /**
     * "accuracy / AUC / F1 / slide error" of a metrics node, or with {@code stat} ("mean", "sd") of a
     * summary node whose figures are objects of statistics.
     */
    static String figures(JsonNode m, String stat) {
        java.util.function.Function<String, JsonNode> v = key -> stat == null ? m.get(key) : m.get(key).get(stat);
        return String.format("%s / %s / %s / %.2f", format(v.apply("accuracy").asDouble()),
                format(v.apply("auc").asDouble()), format(v.apply("f1").asDouble()), v.apply("slide_mae_pp").asDouble());
    }
}
