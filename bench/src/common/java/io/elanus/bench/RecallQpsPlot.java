package io.elanus.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recall@10 (x) against single-thread queries/s (y, log scale) as a PNG, drawn with java.awt: one line per
 * engine, the same colour for an index in-process (solid) and through the server (dashed), and the FAISS
 * figures quoted by the issue as separate markers.
 */
final class RecallQpsPlot {
    /** A throughput figure quoted by the issue, not measured by this benchmark. */
    record Reference(String index, double recall, double qps) {
    }

    static final String FAISS_NOTE = "FAISS 1.15.1, measured by the issue author on this machine, not in this run";
    static final List<Reference> FAISS = List.of(new Reference("HNSW", 0.961, 2005), new Reference("HNSW", 0.927, 3681),
            new Reference("IVF_FLAT", 0.971, 1019));

    static final String VIA_SERVER = " via gRPC (SDK)";
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;
    private static final int LEFT = 110;
    private static final int RIGHT = WIDTH - 40;
    private static final int TOP = 80;
    private static final int BOTTOM = HEIGHT - 250;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x7f7f7f), new Color(0x8c564b), new Color(0x17becf)};
    private static final Color FAISS_COLOR = new Color(0xd62728);

    private RecallQpsPlot() {
    }

    private record Series(String name, List<AnnResult> points) {
        boolean viaServer() {
            return name.endsWith(VIA_SERVER);
        }

        String base() {
            return viaServer() ? name.substring(0, name.length() - VIA_SERVER.length()) : name;
        }
    }

    static void write(Path png, int indexed, List<AnnResult> results) throws IOException {
        Map<String, List<AnnResult>> byEngine = new LinkedHashMap<>();
        for (AnnResult r : results) {
            byEngine.computeIfAbsent(r.engine(), e -> new ArrayList<>()).add(r);
        }
        List<Series> series = byEngine.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue())).toList();
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Series s : series) {
            colours.putIfAbsent(s.base(), PALETTE[colours.size() % PALETTE.length]);
        }

        double minRecall = Math.min(results.stream().mapToDouble(AnnResult::recall).min().orElse(0.9), 0.9);
        double minQps = Math.min(results.stream().mapToDouble(AnnResult::qps1).min().orElse(1000), 1000);
        double maxQps = Math.max(results.stream().mapToDouble(AnnResult::qps1).max().orElse(10000), 4000);
        // Half-decade bounds on the log axis; recall runs a little past 1 so a point at 1.0 is not cut in half.
        Axes axes = new Axes(Math.floor(minRecall * 20) / 20, 1.01,
                Math.floor(Math.log10(minQps) * 2) / 2, Math.ceil(Math.log10(maxQps) * 2) / 2);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(String.format("GloVe 100-d, %,d vectors, COSINE: recall@10 against queries/s (one query per call, 1 thread)", indexed),
                LEFT, 45);
        axes.draw(g);

        for (Series s : series) {
            Color colour = colours.get(s.base());
            List<AnnResult> points = s.points().stream().sorted(Comparator.comparingDouble(AnnResult::recall)).toList();
            g.setClip(LEFT, TOP, RIGHT - LEFT + 1, BOTTOM - TOP + 1);
            g.setColor(colour);
            g.setStroke(stroke(s.viaServer()));
            Path2D line = new Path2D.Double();
            for (int i = 0; i < points.size(); i++) {
                double x = axes.x(points.get(i).recall());
                double y = axes.y(points.get(i).qps1());
                if (i == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.draw(line);
            for (AnnResult p : points) {
                mark(g, marker(s.viaServer(), axes.x(p.recall()), axes.y(p.qps1())), colour, s.viaServer());
            }
            g.setClip(null);
        }
        g.setClip(LEFT, TOP, RIGHT - LEFT + 1, BOTTOM - TOP + 1);
        for (Reference f : FAISS) {
            mark(g, faissMarker(f.index(), axes.x(f.recall()), axes.y(f.qps())), FAISS_COLOR, false);
        }
        g.setClip(null);

        legend(g, series, colours);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void legend(Graphics2D g, List<Series> series, Map<String, Color> colours) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        int columnWidth = (RIGHT - LEFT) / 2;
        int rowHeight = 27;
        int top = BOTTOM + 80;
        int i = 0;
        for (Series s : series) {
            int x = LEFT + (i % 2) * columnWidth;
            int y = top + (i / 2) * rowHeight;
            Color colour = colours.get(s.base());
            g.setColor(colour);
            g.setStroke(stroke(s.viaServer()));
            g.drawLine(x, y, x + 50, y);
            mark(g, marker(s.viaServer(), x + 25, y), colour, s.viaServer());
            g.setColor(Color.BLACK);
            g.drawString(s.name(), x + 62, y + 6);
            i++;
        }
        int rows = (series.size() + 1) / 2;
        int y = top + rows * rowHeight;
        mark(g, faissMarker("HNSW", LEFT + 12, y), FAISS_COLOR, false);
        mark(g, faissMarker("IVF_FLAT", LEFT + 38, y), FAISS_COLOR, false);
        g.setColor(Color.BLACK);
        g.drawString("FAISS HNSW (triangles) and IVF_FLAT (diamond): " + FAISS_NOTE, LEFT + 62, y + 6);
    }

    private static BasicStroke stroke(boolean dashed) {
        return dashed ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{9f, 6f}, 0f)
                : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static Shape marker(boolean square, double x, double y) {
        double r = 5;
        return square ? new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r) : new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
    }

    private static Shape faissMarker(String index, double x, double y) {
        double r = 9;
        Path2D p = new Path2D.Double();
        if (index.equals("HNSW")) {
            p.moveTo(x, y - r);
            p.lineTo(x + r, y + r * 0.8);
            p.lineTo(x - r, y + r * 0.8);
        } else {
            p.moveTo(x, y - r);
            p.lineTo(x + r, y);
            p.lineTo(x, y + r);
            p.lineTo(x - r, y);
        }
        p.closePath();
        return p;
    }

    /** Fills the marker (hollow, with a white centre, for points measured through the server). */
    private static void mark(Graphics2D g, Shape marker, Color colour, boolean hollow) {
        g.setStroke(new BasicStroke(2f));
        g.setColor(hollow ? Color.WHITE : colour);
        g.fill(marker);
        g.setColor(colour);
        g.draw(marker);
    }

    /** Recall on a linear x axis, queries/s on a log10 y axis, with grid and labels. */
    private record Axes(double recallFrom, double recallTo, double log10From, double log10To) {
        double x(double recall) {
            return LEFT + (recall - recallFrom) / (recallTo - recallFrom) * (RIGHT - LEFT);
        }

        double y(double qps) {
            return BOTTOM - (Math.log10(qps) - log10From) / (log10To - log10From) * (BOTTOM - TOP);
        }

        void draw(Graphics2D g) {
            Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
            g.setFont(tickFont);
            Color grid = new Color(0xdddddd);
            for (int step = 0; recallFrom + step * 0.05 <= Math.min(recallTo, 1.0) + 1e-9; step++) {
                double recall = recallFrom + step * 0.05;
                int x = (int) Math.round(x(recall));
                g.setColor(grid);
                g.setStroke(new BasicStroke(1f));
                g.drawLine(x, TOP, x, BOTTOM);
                g.setColor(Color.BLACK);
                String label = String.format("%.2f", recall);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, BOTTOM + 24);
            }
            for (int decade = (int) Math.floor(log10From); decade <= (int) log10To; decade++) {
                for (int m : new int[]{1, 2, 5}) {
                    double qps = m * Math.pow(10, decade);
                    if (Math.log10(qps) < log10From - 1e-9 || Math.log10(qps) > log10To + 1e-9) {
                        continue;
                    }
                    int y = (int) Math.round(y(qps));
                    g.setColor(m == 1 ? new Color(0xbbbbbb) : grid);
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(LEFT, y, RIGHT, y);
                    g.setColor(Color.BLACK);
                    String label = String.format("%,.0f", qps);
                    g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + 6);
                }
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawRect(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 19));
            String xLabel = "recall@10";
            g.drawString(xLabel, (LEFT + RIGHT) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, BOTTOM + 55);
            String yLabel = "queries/s, 1 thread (log scale)";
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -((TOP + BOTTOM) / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 30);
            g.setTransform(saved);
        }
    }
}
