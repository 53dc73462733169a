package org.malariastream.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.malariastream.classifier.cli.ClassifyCommand;
import org.malariastream.classifier.cli.CvEnsembleCommand;
import org.malariastream.classifier.cli.CvSlidePriorCommand;
import org.malariastream.classifier.cli.CvMergeCommand;
import org.malariastream.classifier.cli.EvaluateCommand;
import org.malariastream.classifier.cli.InspectCommand;
import org.malariastream.classifier.cli.ReviewLabelsCommand;
import org.malariastream.classifier.cli.TrainCommand;
import org.malariastream.common.KafkaConnectionOptions;
import org.malariastream.ingest.cli.IngestCommand;
import org.malariastream.metrics.cli.MetricsCommand;
import org.malariastream.stack.StackManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code ./malaria}: one entry point for the embedded stack and every service. */
@Command(name = "malaria",
        mixinStandardHelpOptions = true,
        versionProvider = Malaria.Version.class,
        usageHelpAutoWidth = true,
        description = "malaria-stream: classify thin-blood-smear cell images as they stream out of slide scanners,"
                + " and report live model quality and per-slide parasitaemia.",
        subcommands = {UpCommand.class, StackCommand.class, TopicsCommand.class, IngestCommand.class, ClassifyCommand.class, MetricsCommand.class,
            InspectCommand.class, TrainCommand.class, CvMergeCommand.class, CvEnsembleCommand.class, CvSlidePriorCommand.class, ReviewLabelsCommand.class, EvaluateCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nAlso:%n",
        footer = {"  ./malaria test [MAVEN ARGS]   run the whole test suite (mvn verify)",
            "",
            "Environment:",
            "  MALARIA_HOME             state, data and logs (default <repo>/.malaria)",
            "  MALARIA_SHARED_DIR       dataset and backbone (default <repo>/../shared)",
            "  KAFKA_BOOTSTRAP_SERVERS  Kafka instead of the embedded stack's",
            "  SCHEMA_REGISTRY_URL      Confluent-API registry instead of the stack's",
            "  MALARIA_KAFKA_<KEY>      extra client setting (SASL, TLS, registry auth)",
            "  MALARIA_JAVA_OPTS        JVM options",
            "  MALARIA_DEBUG=1          stack traces on errors"})
public final class Malaria implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        useEmbeddedStackWhenNothingElseIsConfigured();
        System.exit(commandLine().execute(args));
    }

    /** The command tree with the error handling every command shares. */
    public static CommandLine commandLine() {
        return new CommandLine(new Malaria())
                .setExecutionExceptionHandler(Malaria::reportError)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * A user error (bad input, something not running) prints one line that says what to do; a stack
     * trace only with MALARIA_DEBUG=1, since it helps developers, not users.
     */
    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + message(e)));
        if ("1".equals(System.getenv("MALARIA_DEBUG"))) {
            e.printStackTrace(err);
        } else {
            err.println("(set MALARIA_DEBUG=1 for the stack trace)");
        }
        return 1;
    }

    private static String message(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    /** Services default to the embedded stack's addresses when it runs and nothing else is configured. */
    static void useEmbeddedStackWhenNothingElseIsConfigured() {
        if (System.getenv(KafkaConnectionOptions.BOOTSTRAP_ENV) != null) {
            return;
        }
        StackManager stack = new StackManager(MalariaHome.resolve().resolve("stack"));
        stack.bootstrapServers().ifPresent(b -> System.setProperty(KafkaConnectionOptions.LOCAL_BOOTSTRAP_PROPERTY, b));
        stack.schemaRegistryUrl().ifPresent(r -> System.setProperty(KafkaConnectionOptions.LOCAL_REGISTRY_PROPERTY, r));
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Malaria.class.getResourceAsStream("/malaria-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"malaria-stream " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
