package org.malariastream.ingest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria ingest}: the scanners' doors to Kafka. */
@Command(name = "ingest", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Hand cell images from slide scanners to Kafka (cells.images): an HTTP API, a hot folder,"
                + " or the replay of a labelled dataset. Every image is checked first; rejected input is kept with"
                + " its reason (cells.ingest.dlq, a rejected/ folder, or an RFC 9457 problem answer).",
        subcommands = {ServeCommand.class, WatchCommand.class, ReplayCommand.class})
public final class IngestCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the ingest commands on their own, without the launcher (e.g. in tests and containers). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestCommand()).execute(args));
    }
}
