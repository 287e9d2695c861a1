import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the QuantLens application icon: an activation histogram (a bell of bars) with two clip
 * markers; the tails beyond the markers are dimmed, which is what choosing an INT8 clip range does.
 *
 * <p>Run from the project root with {@code java installer/MakeIcon.java resources/icons}. It writes
 * {@code quantlens.png} (256x256) and {@code quantlens-48.png}, {@code quantlens-128.png}. Every size
 * is drawn from the same vector description at its own resolution (not downscaled), so small sizes
 * stay sharp. Headless; needs only the JDK.
 */
public final class MakeIcon {

    private static final Color BACKGROUND_TOP = new Color(0x1E, 0x2A, 0x3A);
    private static final Color BACKGROUND_BOTTOM = new Color(0x0F, 0x17, 0x22);
    private static final Color BAR_INSIDE_TOP = new Color(0x5E, 0xE0, 0xC8);
    private static final Color BAR_INSIDE_BOTTOM = new Color(0x2A, 0x9D, 0xB8);
    private static final Color BAR_CLIPPED = new Color(0x4A, 0x5A, 0x6E);
    private static final Color CLIP_MARKER = new Color(0xFF, 0xA9, 0x3A);

    /** Bars of the histogram; the first two and last two lie outside the clip range. */
    private static final int BAR_COUNT = 13;
    private static final int FIRST_INSIDE = 2;
    private static final int LAST_INSIDE = BAR_COUNT - 3;

    private MakeIcon() {
    }

    public static void main(String[] args) throws IOException {
        File dir = new File(args.length > 0 ? args[0] : "resources/icons");
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException(dir + ": cannot create the directory");
        }
        write(draw(256), new File(dir, "quantlens.png"));
        write(draw(128), new File(dir, "quantlens-128.png"));
        write(draw(48), new File(dir, "quantlens-48.png"));
    }

    private static void write(BufferedImage image, File file) throws IOException {
        if (!ImageIO.write(image, "png", file)) {
            throw new IOException(file + ": no PNG writer available");
        }
        System.out.println(file.getPath() + " " + image.getWidth() + "x" + image.getHeight());
    }

    /** Draws the icon on a size x size canvas; all geometry is given in units of a 256-pixel icon. */
    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 256.0, size / 256.0);
        drawBackground(g);
        drawBars(g);
        drawClipMarkers(g);
        g.dispose();
        return image;
    }

    private static void drawBackground(Graphics2D g) {
        g.setPaint(new GradientPaint(0, 8, BACKGROUND_TOP, 0, 248, BACKGROUND_BOTTOM));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 52, 52));
        // A thin baseline under the bars, like an axis.
        g.setColor(new Color(0x8A, 0x9B, 0xB0));
        g.fill(new Rectangle2D.Double(30, 200, 196, 5));
    }

    /** Bar heights follow a Gaussian, exp(-x^2/2) with x spanning about +-2.6 sigma. */
    private static void drawBars(Graphics2D g) {
        double left = 34;
        double pitch = 188.0 / BAR_COUNT;
        double width = pitch * 0.74;
        double baseline = 198;
        double tallest = 150;
        for (int i = 0; i < BAR_COUNT; i++) {
            double x = (i - (BAR_COUNT - 1) / 2.0) / ((BAR_COUNT - 1) / 2.0) * 2.6;
            double height = Math.max(8, tallest * Math.exp(-x * x / 2));
            double top = baseline - height;
            boolean inside = i >= FIRST_INSIDE && i <= LAST_INSIDE;
            if (inside) {
                g.setPaint(new GradientPaint(0, (float) (baseline - tallest), BAR_INSIDE_TOP,
                        0, (float) baseline, BAR_INSIDE_BOTTOM));
            } else {
                g.setColor(BAR_CLIPPED);
            }
            g.fill(roundedTopBar(left + i * pitch + (pitch - width) / 2, top, width, height));
        }
    }

    /** A bar whose top corners are rounded and whose foot sits square on the axis. */
    private static Path2D roundedTopBar(double x, double top, double width, double height) {
        double r = Math.min(width / 2, Math.min(height, 5));
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x, top + height);
        path.lineTo(x, top + r);
        path.quadTo(x, top, x + r, top);
        path.lineTo(x + width - r, top);
        path.quadTo(x + width, top, x + width, top + r);
        path.lineTo(x + width, top + height);
        path.closePath();
        return path;
    }

    /** Two vertical markers between the clipped tails and the kept range, with small caps. */
    private static void drawClipMarkers(Graphics2D g) {
        double pitch = 188.0 / BAR_COUNT;
        double leftX = 34 + FIRST_INSIDE * pitch - 1;
        double rightX = 34 + (LAST_INSIDE + 1) * pitch + 1;
        g.setColor(CLIP_MARKER);
        g.setStroke(new BasicStroke(7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double x : new double[] {leftX, rightX}) {
            g.draw(new Line2D.Double(x, 40, x, 212));
        }
        // Caps pointing inwards, like brackets around the kept range.
        g.draw(new Line2D.Double(leftX, 40, leftX + 14, 40));
        g.draw(new Line2D.Double(rightX, 40, rightX - 14, 40));
    }
}
