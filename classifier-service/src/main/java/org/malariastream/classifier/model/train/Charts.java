package org.malariastream.classifier.model.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.malariastream.classifier.model.eval.Confusion;

/** PNG plots of a training run, drawn with JFreeChart. */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Training and validation loss per epoch. */
    public static void loss(List<EpochStats> history, Path png) throws IOException {
        XYSeries train = new XYSeries("train loss (smoothed labels, augmented)");
        XYSeries val = new XYSeries("validation loss");
        XYSeries averaged = new XYSeries("validation loss, averaged weights");
        for (EpochStats s : history) {
            train.add(s.epoch(), s.trainLoss());
            if (!Double.isNaN(s.valLoss())) {
                val.add(s.epoch(), s.valLoss());
            }
            if (!Double.isNaN(s.averagedValLoss())) {
                averaged.add(s.epoch(), s.averagedValLoss());
            }
        }
        XYSeries[] series = val.isEmpty() ? new XYSeries[] {train} // a run without validation patients
                : averaged.isEmpty() ? new XYSeries[] {train, val} : new XYSeries[] {train, val, averaged};
        save(lines("Loss per epoch", "epoch", "cross-entropy", series), png);
    }

    /** Validation accuracy and ROC AUC per epoch. */
    public static void metrics(List<EpochStats> history, Path png) throws IOException {
        XYSeries acc = new XYSeries("validation accuracy (t=0.5)");
        XYSeries auc = new XYSeries("validation ROC AUC");
        for (EpochStats s : history) {
            if (!Double.isNaN(s.valAccuracy())) {
                acc.add(s.epoch(), s.valAccuracy());
                auc.add(s.epoch(), s.valAuc());
            }
        }
        JFreeChart chart = lines("Validation metrics per epoch", "epoch", "value", acc, auc);
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        save(chart, png);
    }

    /** ROC curve with the diagonal. */
    public static void roc(double[][] points, double auc, String title, Path png) throws IOException {
        XYSeries curve = new XYSeries(String.format("ROC (AUC %.4f)", auc), false);
        for (double[] p : points) {
            curve.add(p[0], p[1]);
        }
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        JFreeChart chart = lines(title, "false positive rate (uninfected called parasitized)",
                "true positive rate (sensitivity)", curve, chance);
        XYPlot plot = chart.getXYPlot();
        ((XYLineAndShapeRenderer) plot.getRenderer()).setSeriesShapesVisible(0, false);
        ((XYLineAndShapeRenderer) plot.getRenderer()).setSeriesShapesVisible(1, false);
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        plot.getDomainAxis().setRange(0, 1);
        plot.getRangeAxis().setRange(0, 1.001);
        save(chart, png, 640, 600);
    }

    /** Confusion matrix as a heat map with the counts written in the cells. */
    public static void confusion(Confusion c, String title, Path png) throws IOException {
        // x: predicted (0 uninfected, 1 parasitized); y: actual (0 uninfected, 1 parasitized)
        double[] x = {0, 1, 0, 1};
        double[] y = {0, 0, 1, 1};
        double[] z = {c.trueNegatives(), c.falsePositives(), c.falseNegatives(), c.truePositives()};
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", new double[][] {x, y, z});
        SymbolAxis predicted = new SymbolAxis("predicted", new String[] {"Uninfected", "Parasitized"});
        SymbolAxis actual = new SymbolAxis("actual", new String[] {"Uninfected", "Parasitized"});
        XYBlockRenderer renderer = new XYBlockRenderer();
        double max = Math.max(1, java.util.Arrays.stream(z).max().orElse(1));
        LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
        for (int i = 0; i <= 20; i++) {
            int shade = 255 - (int) (i * 170 / 20.0);
            scale.add(i * (max + 1) / 21.0, new Color(shade, shade, 255));
        }
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        long total = Math.max(1, c.total());
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 20);
        for (int i = 0; i < 4; i++) {
            XYTextAnnotation a = new XYTextAnnotation(String.format("%d (%.1f%%)", (long) z[i], 100.0 * z[i] / total), x[i], y[i]);
            a.setFont(font);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.addSubtitle(new TextTitle(String.format("accuracy %.4f of %d cells",
                (double) (c.truePositives() + c.trueNegatives()) / total, c.total())));
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 600, 560);
    }

    private static JFreeChart lines(String title, String xLabel, String yLabel, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        if ("epoch".equals(xLabel)) {
            plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.length; i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void save(JFreeChart chart, Path png) throws IOException {
        save(chart, png, 800, 500);
    }

    private static void save(JFreeChart chart, Path png, int w, int h) throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), chart, w, h);
    }
}
