package org.malariastream.ingest.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.ShutdownSignal;
import org.malariastream.ingest.hotfolder.HotFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria ingest watch --dir D}: a scanner's hot folder. */
@Command(name = "watch", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Publish cell images a scanner drops into DIR/<slideId>/<cellId>.png|jpg (with an optional"
                + " DIR/<slideId>/slide.json: {\"scannerId\", \"patientRef\", \"expectedCellCount\"}).",
            "A file is read once it has stopped changing; names starting with '.' or ending in .part/.tmp are left"
                + " alone. After Kafka acknowledges it, a file moves to DIR/done/<slideId>/; a rejected one to"
                + " DIR/rejected/<slideId>/ with a .reason file beside it. Files stay in the inbox until Kafka has"
                + " them, and a restart resends them under the same event id."})
final class WatchCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Mixin
    ImageLimitOptions limits;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", defaultValue = "${env:MALARIA_INGEST_WATCH_DIR}",
            description = "The inbox. Env: MALARIA_INGEST_WATCH_DIR.")
    Path dir;

    @Option(names = "--scanner-id", defaultValue = "${env:MALARIA_SCANNER_ID:-hotfolder}",
            description = "Scanner id for slides without one in slide.json; part of every event id, so keep it"
                    + " stable. Env: MALARIA_SCANNER_ID. Default: ${DEFAULT-VALUE}.")
    String scannerId;

    @Option(names = "--settle-ms", defaultValue = "1000",
            description = "How long a file must be unchanged before it is read. Default: ${DEFAULT-VALUE}.")
    long settleMs;

    @Option(names = "--poll-ms", defaultValue = "500", description = "Scan interval. Default: ${DEFAULT-VALUE}.")
    long pollMs;

    @Option(names = "--once", description = "Publish what has settled, then exit (for batch jobs).")
    boolean once;

    @Option(names = "--batch", defaultValue = "1000",
            description = "Most files published per scan before their acknowledgements are awaited. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Override
    public Integer call() throws InterruptedException {
        ShutdownSignal signal = once ? null : ShutdownSignal.install("ingest-watch", Duration.ofSeconds(30));
        try (IngestRuntime runtime = new IngestRuntime(kafka.resolve(), limits.limits())) {
            HotFolder folder = new HotFolder(settings(dir, scannerId, settleMs, pollMs, batch), runtime.intake);
            if (once) {
                return drain(folder);
            }
            Thread watcher = folder.start();
            signal.await();
            watcher.interrupt();
            watcher.join(10_000);
            return 0;
        } finally {
            if (signal != null) {
                signal.release();
            }
        }
    }

    static HotFolder.Settings settings(Path dir, String scannerId, long settleMs, long pollMs, int batch) {
        return new HotFolder.Settings(dir, scannerId, Duration.ofMillis(settleMs), Duration.ofMillis(pollMs), batch);
    }

    /** Scans until nothing is left that will settle, then reports. */
    private int drain(HotFolder folder) throws InterruptedException {
        int published = 0;
        int rejected = 0;
        int failed = 0;
        while (true) {
            HotFolder.ScanResult r = folder.scanOnce();
            published += r.published();
            rejected += r.rejected();
            failed += r.failed();
            if (r.waiting() == 0 && r.published() + r.rejected() == 0 || r.failed() > 0) {
                break;
            }
            Thread.sleep(pollMs);
        }
        spec.commandLine().getOut().printf("published %d, rejected %d, failed %d%n", published, rejected, failed);
        spec.commandLine().getOut().flush();
        return failed > 0 ? 1 : 0;
    }
}
