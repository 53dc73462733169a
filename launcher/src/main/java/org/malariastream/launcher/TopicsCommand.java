package org.malariastream.launcher;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.TopicInitializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria topics create}: the project's topics on any cluster (the embedded stack creates its own). */
@Command(name = "topics", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "The project's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Create every topic the services use that does not exist yet; existing topics are left alone.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaConnectionOptions kafka;

        @Spec
        CommandSpec spec;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Partitions of each new topic: the most instances of a service that can share the work."
                        + " Default: the cluster's num.partitions.")
        Integer partitions;

        @Override
        public Integer call() {
            KafkaConnection connection = kafka.resolve();
            List<String> created = TopicInitializer.ensureTopics(connection.admin(), Optional.ofNullable(partitions));
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.isEmpty() ? "All topics exist already on " + connection.bootstrapServers()
                    : "Created on " + connection.bootstrapServers() + ": " + String.join(", ", created));
            out.flush();
            return 0;
        }
    }
}
