package org.malariastream.ingest.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.SharedData;
import org.malariastream.ingest.replay.DatasetReplay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria ingest replay --images DIR}: a labelled dataset as scanner events. */
@Command(name = "replay", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Publish a directory in the NIH layout (DIR/Parasitized/*.png, DIR/Uninfected/*.png) as scanner"
                + " events, slide by slide, each slide announcing its cell count; --labels also publishes the folder's"
                + " ground truth to cells.labels. Sending the same folder again gives the same event ids.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Mixin
    ImageLimitOptions limits;

    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR",
            description = "The dataset. Default: the NIH images in the shared directory (MALARIA_SHARED_DIR).")
    Path images;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Cells per second, like a scanner would send them; 0 for as fast as Kafka takes them.")
    double rate;

    @Option(names = "--limit", paramLabel = "K", defaultValue = "0", description = "Send at most K cells (0: all).")
    int limit;

    @Option(names = "--labels", description = "Also publish each cell's label (from its folder) to cells.labels.")
    boolean labels;

    @Option(names = "--scanner-id", defaultValue = "replay", description = "Scanner id of the events. Default: ${DEFAULT-VALUE}.")
    String scannerId;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = images != null ? images : SharedData.cellImages();
        PrintWriter out = spec.commandLine().getOut();
        DatasetReplay.Summary summary;
        try (IngestRuntime runtime = new IngestRuntime(kafka.resolve(), limits.limits());
             ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setUnit(" cells", 1)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build()) {
            summary = new DatasetReplay(new DatasetReplay.Settings(dir, scannerId, rate, limit, labels, 2000),
                    runtime.intake).run(new DatasetReplay.Progress() {
                        @Override
                        public void started(int total) {
                            bar.maxHint(total);
                        }

                        @Override
                        public void advanced(int done, int rejected) {
                            bar.stepTo(done);
                            if (rejected > 0) {
                                bar.setExtraMessage("rejected " + rejected);
                            }
                        }
                    });
        }
        out.printf("Replayed %s: %d slides, %d cells published (%d parasitized, %d uninfected), %d rejected%s,"
                        + " %d labels, in %.1f s (%.0f cells/s)%n",
                dir, summary.slides(), summary.published(), summary.parasitized(), summary.uninfected(),
                summary.rejectedTotal(), summary.rejected().isEmpty() ? "" : " " + summary.rejected(), summary.labels(),
                summary.elapsed().toMillis() / 1000.0, summary.cellsPerSecond());
        if (summary.unnamedFiles() > 0) {
            out.printf("Skipped %d files whose names do not follow the NIH naming (patient, slide, cell).%n", summary.unnamedFiles());
        }
        out.flush();
        return 0;
    }
}
