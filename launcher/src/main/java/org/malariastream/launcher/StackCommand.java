package org.malariastream.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.common.TopicInitializer;
import org.malariastream.stack.StackManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./malaria stack up|down|status}: the embedded Kafka broker and schema registry, no Docker. */
@Command(name = "stack",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "The embedded development stack, no Docker: a KRaft Kafka broker and Apicurio Registry"
                + " (Confluent API), each a background process on 127.0.0.1, with data that survives a restart.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
final class StackCommand implements Runnable {
    /** Exit code of status when the stack is not (fully) running, as LSB init scripts use it. */
    static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR",
            description = "State, data and logs of the stack. Default: $MALARIA_HOME/stack, else <repo>/.malaria/stack.")
    Path home;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    StackManager manager() {
        return new StackManager(home != null ? home : MalariaHome.resolve().resolve("stack"));
    }

    @Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Start the broker and the registry (whatever is not running), create the topics, print the addresses.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Spec
        CommandSpec spec;

        @Option(names = "--partitions", defaultValue = "3",
                description = "Partitions of each topic the stack creates (existing topics keep theirs). Default: ${DEFAULT-VALUE}.")
        int partitions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            StackManager manager = stack.manager();
            out.println("Starting the embedded stack in " + manager.home() + " ...");
            out.flush();
            StackManager.Status status = manager.up();
            List<String> created = TopicInitializer.ensureTopics(
                    Map.of("bootstrap.servers", status.broker().address()), Optional.of(partitions));
            print(out, status);
            if (!created.isEmpty()) {
                out.println("Created topics: " + String.join(", ", created));
            }
            out.println();
            out.println("Services started with ./malaria use it by default. Other clients:");
            out.println("  export " + KafkaConnectionOptions.BOOTSTRAP_ENV + "=" + status.broker().address());
            out.println("  export " + KafkaConnectionOptions.REGISTRY_ENV + "=" + status.registry().address());
            out.println("Stop it with ./malaria stack down (data is kept).");
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Stop the broker and the registry; their data stays for the next up.")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StackManager.Status status = stack.manager().down();
            print(spec.commandLine().getOut(), status);
            return status.stopped() ? 0 : 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Show whether the broker and the registry run, where, and where their data and logs are.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:both run", "3:not running, or only one of them"})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StackManager.Status status = stack.manager().status();
            print(spec.commandLine().getOut(), status);
            return status.running() ? 0 : NOT_RUNNING;
        }
    }

    static void print(PrintWriter out, StackManager.Status status) {
        for (StackManager.Component c : List.of(status.broker(), status.registry())) {
            if (c.running()) {
                out.printf("%-34s running  pid %-7d %s%n", c.name(), c.pid(), c.address());
            } else {
                out.printf("%-34s stopped%n", c.name());
            }
            out.printf("  data %s%n  log  %s%n", c.dataDir(), c.log());
        }
        out.flush();
    }
}
