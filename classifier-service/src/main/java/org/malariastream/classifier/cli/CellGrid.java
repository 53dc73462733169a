package org.malariastream.classifier.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.malariastream.classifier.model.preprocess.RgbImage;

/** A PNG of cell images in titled blocks, 8 to a row, each tile optionally captioned (e.g. with its P). */
final class CellGrid {

    static final int TILE = 96;
    static final int COLUMNS = 8;
    private static final int GAP = 4;
    private static final int TITLE_HEIGHT = 28;
    private static final int CAPTION_HEIGHT = 16;

    /** One titled block; {@code captions} is null or holds one caption per image. */
    record Block(String title, List<RgbImage> images, List<String> captions) {}

    private CellGrid() {}

    static void write(List<Block> blocks, Path file) throws IOException {
        int columns = Math.min(COLUMNS, Math.max(1, blocks.stream().mapToInt(b -> b.images().size()).max().orElse(1)));
        int width = columns * (TILE + GAP) + GAP;
        int height = GAP;
        for (Block b : blocks) {
            height += TITLE_HEIGHT + rows(b, columns) * rowHeight(b);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int y = GAP;
        for (Block b : blocks) {
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(b.title(), 6, y + 19);
            y += TITLE_HEIGHT;
            g.setFont(captionFont);
            for (int i = 0; i < b.images().size(); i++) {
                int x = GAP + (i % columns) * (TILE + GAP);
                int yy = y + (i / columns) * rowHeight(b);
                g.drawImage(toBuffered(b.images().get(i)), x, yy, TILE, TILE, null);
                if (b.captions() != null) {
                    g.drawString(b.captions().get(i), x + 2, yy + TILE + CAPTION_HEIGHT - 4);
                }
            }
            y += rows(b, columns) * rowHeight(b);
        }
        g.dispose();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static int rows(Block b, int columns) {
        return (b.images().size() + columns - 1) / columns;
    }

    private static int rowHeight(Block b) {
        return TILE + GAP + (b.captions() == null ? 0 : CAPTION_HEIGHT);
    }

    private static BufferedImage toBuffered(RgbImage image) {
        BufferedImage bi = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[image.width()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                row[x] = (image.get(x, y, 0) << 16) | (image.get(x, y, 1) << 8) | image.get(x, y, 2);
            }
            bi.setRGB(0, y, image.width(), 1, row, 0, image.width());
        }
        return bi;
    }
}
