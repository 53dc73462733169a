package org.malariastream.ingest.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.ShutdownSignal;
import org.malariastream.common.observability.KafkaHealth;
import org.malariastream.ingest.hotfolder.HotFolder;
import org.malariastream.ingest.http.IngestHttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./malaria ingest serve}: the HTTP API, and a hot folder beside it when asked. */
@Command(name = "serve", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Serve the scanners' HTTP API: POST /v1/slides/{slideId}/cells/{cellId} with a PNG or JPEG body"
                + " (202 with the event id once Kafka has it), POST .../label, GET /health, /metrics, /openapi.json.",
            "With --watch DIR it also runs a hot folder (see ingest watch --help). Stops cleanly on SIGTERM or Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    KafkaConnectionOptions kafka;

    @Mixin
    ImageLimitOptions limits;

    @Option(names = "--host", defaultValue = "${env:MALARIA_INGEST_HOST:-127.0.0.1}",
            description = "Interface to listen on (0.0.0.0 for every one). Env: MALARIA_INGEST_HOST. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "${env:MALARIA_INGEST_PORT:-8090}",
            description = "HTTP port (0 for a free one). Env: MALARIA_INGEST_PORT. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--token", defaultValue = "${env:MALARIA_INGEST_TOKEN}", arity = "0..1",
            description = "Require 'Authorization: Bearer <token>' on /v1. Env: MALARIA_INGEST_TOKEN (preferred: flags"
                    + " show in process lists). Default: no authentication.")
    String token;

    @Option(names = "--scanner-id", defaultValue = "${env:MALARIA_SCANNER_ID:-http}",
            description = "Scanner id for requests without an X-Scanner-Id header. Env: MALARIA_SCANNER_ID. Default: ${DEFAULT-VALUE}.")
    String scannerId;

    @Option(names = "--watch", paramLabel = "DIR", defaultValue = "${env:MALARIA_INGEST_WATCH_DIR}",
            description = "Also run a hot folder on DIR. Env: MALARIA_INGEST_WATCH_DIR.")
    Path watch;

    @Override
    @SuppressWarnings("try") // the server is used by being open
    public Integer call() throws Exception {
        KafkaConnection connection = kafka.resolve();
        ShutdownSignal signal = ShutdownSignal.install("ingest", Duration.ofSeconds(30));
        try (IngestRuntime runtime = new IngestRuntime(connection, limits.limits());
             KafkaHealth health = new KafkaHealth(connection.admin());
             IngestHttpServer server = new IngestHttpServer(new IngestHttpServer.Settings(host, port, scannerId,
                     limits.maxBytes, Optional.ofNullable(token)), runtime.intake, runtime.meters, health).start()) {
            Thread folder = watch == null ? null
                    : new HotFolder(WatchCommand.settings(watch, scannerId, 1000, 500, 1000), runtime.intake).start();
            signal.await();
            if (folder != null) {
                folder.interrupt();
                folder.join(10_000);
            }
        } finally {
            signal.release();
        }
        return 0;
    }
}
