package org.malariastream.classifier.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.eval.Throughput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./malaria bench model}: serving throughput of a model, bytes in, predictions out. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {
            "Measures images/s of the serving path (decode + preprocess + forward + softmax, one classifier,"
                    + " one thread of Java) on real cells held in memory, per batch size.",
            "--sizes also feeds the same network at other input sizes, to see the speed side of the input-size"
                    + " trade-off (the weights are trained at the model's own size, so only speed is meaningful there)."},
        footer = {"", "Example:", "  ./malaria bench model --batch-sizes 1,8,32 --sizes 96,128,160"})
public final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default: $" + Locations.ENV_MODEL
            + ", else <repo>/models/" + Locations.DEFAULT_MODEL + ").")
    Path model;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    int[] batchSizes;

    @Option(names = "--sizes", split = ",", description = "Input sizes to time (default: the model's own).")
    int[] sizes;

    @Option(names = "--count", defaultValue = "512", description = "Images per pass (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--repeats", defaultValue = "2", description = "Timed passes after one warm-up pass (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::benchmark);
    }

    private int benchmark() throws Exception {
        if (count < 1 || repeats < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count and --repeats must be >= 1");
        }
        Path dir = data.imagesDir(spec.commandLine());
        List<CellFile> files = CellDataset.scan(dir).files();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + dir);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < Math.min(count, files.size()); i++) {
            bytes.add(Files.readAllBytes(files.get((int) ((long) i * files.size() / Math.min(count, files.size()))).path()));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (CellModel m = CellModel.load(Locations.model(model))) {
            int[] todo = sizes == null ? new int[] {m.spec().inputSize()} : sizes;
            out.printf("%d images, %d view(s), intra-op threads %s%n", bytes.size(), m.spec().ttaViews(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            for (int size : todo) {
                CellModel at = size == m.spec().inputSize() ? m : m.atInputSize(size);
                Map<Integer, Double> r = Throughput.measure(at, bytes, batchSizes, repeats);
                StringBuilder sb = new StringBuilder(String.format("input %3d px:", size));
                r.forEach((b, v) -> sb.append(String.format("  batch %d %.0f img/s", b, v)));
                out.println(sb);
                out.flush();
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkCommand()).execute(args));
    }
}
