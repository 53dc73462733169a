package org.malariastream.launcher;

import org.malariastream.classifier.bench.ClassifierBenchmark;
import org.malariastream.classifier.cli.BenchmarkCommand;
import org.malariastream.ingest.bench.IngestBenchmark;
import org.malariastream.metrics.bench.MetricsBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./malaria bench ...}: the benchmarks, each a command of the service it measures. */
@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Benchmarks: each prints its figures as key=value lines.",
        subcommands = {BenchmarkCommand.class, ClassifierBenchmark.class, IngestBenchmark.class, MetricsBenchmark.class,
            EndToEndBenchmark.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
