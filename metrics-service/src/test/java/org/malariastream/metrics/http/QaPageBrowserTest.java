package org.malariastream.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.malariastream.metrics.testing.CellRecords.T0;
import static org.malariastream.metrics.testing.CellRecords.label;
import static org.malariastream.metrics.testing.CellRecords.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.common.KafkaConnection;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.testing.StackFixtures;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The QA page in headless Chromium (Debian's, driven by Selenium): the numbers it shows are the API's, it
 * updates live without a reload, the slide table sorts, and a screenshot is left at target/qa-page.png.
 */
@ExtendWith(LocalStackExtension.class)
class QaPageBrowserTest {
    private static final String VERSION = "it-browser";
    private static final String MODEL = "mobilenetv2-malaria:" + VERSION;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void pageShowsTheApisNumbersLiveAndSortsSlides(LocalStack stack, @TempDir Path dir) throws Exception {
        Path target = Path.of("target");
        Chromium.ensureInstalled(target);
        KafkaConnection connection = StackFixtures.connection(stack);
        StackFixtures.send(connection, cells("browser-slide-", 3, 40, 1));

        try (MetricsService service = new MetricsService(StackFixtures.config(connection, "it-browser", dir.resolve("state"))).start()) {
            String base = service.baseUrl();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300))
                    .until(() -> StackFixtures.modelCount(base, VERSION) == 120);

            ChromeDriver browser = chromium(dir.resolve("chromium-profile"));
            try {
                browser.get(base + "/");
                WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
                wait.until(d -> text(browser, "#models tr[data-model='" + MODEL + "'] td[data-field=count]").equals("120"));
                wait.until(d -> modelTableMismatches(browser, base).isEmpty());

                browser.executeScript("const s = document.getElementById('model-select'); s.value = arguments[0];"
                        + " s.dispatchEvent(new Event('change'));", MODEL);
                wait.until(d -> text(browser, "#legend").startsWith(MODEL + ":"));
                JsonNode detail = StackFixtures.get(base + "/api/models/" + VERSION + "/metrics").json();
                JsonNode c = detail.get("cumulative");
                assertThat(text(browser, "#confusion td[data-cell=tp]")).isEqualTo(c.get("truePositives").asText());
                assertThat(text(browser, "#confusion td[data-cell=fp]")).isEqualTo(c.get("falsePositives").asText());
                assertThat(text(browser, "#confusion td[data-cell=tn]")).isEqualTo(c.get("trueNegatives").asText());
                assertThat(text(browser, "#confusion td[data-cell=fn]")).isEqualTo(c.get("falseNegatives").asText());
                assertThat(text(browser, "#roc-auc")).isEqualTo("AUC " + fmt4(c.get("auc").asDouble()));
                String rocPoints = String.valueOf(browser.executeScript(
                        "return document.getElementById('roc-curve').getAttribute('points');"));
                assertThat(rocPoints.trim().split(" ")).hasSize(c.get("roc").size());
                assertThat(detail.get("windows").size()).isEqualTo(2);
                assertThat(count(browser, "#chart-accuracy polyline[data-model='" + MODEL + "']")).isEqualTo(1);
                assertThat(count(browser, "#chart-auc circle")).isGreaterThanOrEqualTo(2);

                wait.until(d -> slideTableMismatches(browser, base).isEmpty());

                // Sorting by predicted parasitaemia: ascending, then descending on a second click.
                WebElement header = browser.findElement(By.cssSelector("#slides th[data-sort=parasitaemiaPct]"));
                header.click();
                assertThat(columnValues(browser, "parasitaemiaPct")).isSorted();
                header.click();
                List<Double> descending = columnValues(browser, "parasitaemiaPct");
                assertThat(descending).isSortedAccordingTo((x, y) -> Double.compare(y, x));
                assertThat(descending.get(0)).isGreaterThan(descending.get(descending.size() - 1));

                // Live: new cells arrive, the page follows without a reload.
                JavascriptExecutor js = browser;
                js.executeScript("window.__sameDocument = 'yes';");
                long updatesBefore = ((Number) js.executeScript("return window.qa.updates;")).longValue();
                StackFixtures.send(connection, cells("browser-late-", 1, 30, 2));
                await().atMost(PATIENCE).until(() -> StackFixtures.modelCount(base, VERSION) == 150);
                wait.until(d -> text(browser, "#models tr[data-model='" + MODEL + "'] td[data-field=count]").equals("150"));
                wait.until(d -> modelTableMismatches(browser, base).isEmpty());
                assertThat(js.executeScript("return window.__sameDocument;")).isEqualTo("yes");
                assertThat(((Number) js.executeScript("return window.qa.updates;")).longValue()).isGreaterThan(updatesBefore);
                assertThat(text(browser, "#connection")).isEqualTo("live");

                Path shot = target.resolve("qa-page.png");
                Files.createDirectories(target);
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(shot)).isGreaterThan(10_000);
            } finally {
                browser.quit();
            }
        }
    }

    /** Labelled cells of {@code slides} slides, spread over two 5-minute windows; the first slide completes. */
    private static List<SpecificRecord> cells(String prefix, int slides, int cellsPerSlide, long seed) {
        Random random = new Random(seed);
        List<SpecificRecord> records = new ArrayList<>();
        for (int s = 0; s < slides; s++) {
            double share = 0.05 + 0.15 * s;
            for (int c = 0; c < cellsPerSlide; c++) {
                boolean parasitized = random.nextDouble() < share;
                double p = parasitized ? 0.55 + 0.45 * random.nextDouble() : 0.6 * random.nextDouble();
                records.add(prediction(prefix + s, "c" + c, p, VERSION, T0.plusSeconds(15L * c),
                        s == 0 ? cellsPerSlide : null));
                records.add(label(prefix + s, "c" + c, parasitized));
            }
        }
        return records;
    }

    private static ChromeDriver chromium(Path profile) throws Exception {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Chromium.BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1400", "--user-data-dir=" + profile);
        System.setProperty("webdriver.chrome.driver", Chromium.DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Chromium.driverFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * An element's text, read in one script call: the page re-renders on every pushed snapshot, so a
     * WebElement found a moment earlier may already be replaced (stale).
     */
    private static String text(ChromeDriver browser, String css) {
        Object text = browser.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css);
        return String.valueOf(text);
    }

    /** Every model row of the page against /api/models: what differs (empty when all agree). */
    private static List<String> modelTableMismatches(ChromeDriver browser, String base) {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode m : StackFixtures.get(base + "/api/models").json()) {
            String row = "#models tr[data-model='" + m.get("model").asText() + "'] ";
            check(mismatches, m.get("model").asText() + " count", text(browser, row + "td[data-field=count]"), m.get("count").asText());
            for (String field : List.of("accuracy", "auc", "f1", "sensitivity", "specificity", "precision")) {
                JsonNode v = m.get(field);
                check(mismatches, m.get("model").asText() + " " + field, text(browser, row + "td[data-field=" + field + "]"),
                        v == null || v.isNull() ? "–" : fmt4(v.asDouble()));
            }
        }
        return mismatches;
    }

    /** Every slide of /api/slides against its row in the table. */
    private static List<String> slideTableMismatches(ChromeDriver browser, String base) {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode s : StackFixtures.get(base + "/api/slides?limit=500").json()) {
            String row = "#slides tr[data-slide='" + s.get("slideId").asText() + "'] ";
            check(mismatches, s.get("slideId").asText() + " cells", text(browser, row + "td[data-field=cellsClassified]"),
                    s.get("cellsClassified").asText());
            check(mismatches, s.get("slideId").asText() + " predicted", text(browser, row + "td[data-field=parasitaemiaPct]"),
                    fmt2(s.get("parasitaemiaPct")));
            check(mismatches, s.get("slideId").asText() + " labelled",
                    text(browser, row + "td[data-field=labelledParasitaemiaPct]"), fmt2(s.get("labelledParasitaemiaPct")));
            check(mismatches, s.get("slideId").asText() + " error", text(browser, row + "td[data-field=parasitaemiaErrorPp]"),
                    fmt2(s.get("parasitaemiaErrorPp")));
            check(mismatches, s.get("slideId").asText() + " slide-aware",
                    text(browser, row + "td[data-field=slideAwareParasitaemiaPct]"), fmt2(s.get("slideAwareParasitaemiaPct")));
            check(mismatches, s.get("slideId").asText() + " slide-aware error",
                    text(browser, row + "td[data-field=slideAwareErrorPp]"), fmt2(s.get("slideAwareErrorPp")));
        }
        return mismatches;
    }

    private static void check(List<String> mismatches, String what, String shown, String expected) {
        if (!shown.equals(expected)) {
            mismatches.add(what + ": page " + shown + ", API " + expected);
        }
    }

    private static long count(ChromeDriver browser, String css) {
        return ((Number) browser.executeScript("return document.querySelectorAll(arguments[0]).length;", css)).longValue();
    }

    private static List<Double> columnValues(ChromeDriver browser, String field) {
        List<?> texts = (List<?>) browser.executeScript("return Array.from(document.querySelectorAll("
                + "'#slides tbody td[data-field=" + field + "]')).map(e => e.textContent.trim());");
        List<Double> values = new ArrayList<>();
        texts.forEach(t -> values.add(Double.parseDouble(String.valueOf(t))));
        return values;
    }

    private static String fmt4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt2(JsonNode v) {
        return v == null || v.isNull() ? "–" : String.format(Locale.ROOT, "%.2f", v.asDouble());
    }
}
