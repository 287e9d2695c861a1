package org.quantlens.app.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ChartExportTest {
    @TempDir
    Path dir;

    private static JFreeChart lineChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries a = new XYSeries("sample, \"one\"");
        a.add(0.5, 0.25);
        a.add(1.5, 0.75);
        XYSeries b = new XYSeries("two");
        b.add(-1.0, 1.0);
        data.addSeries(a);
        data.addSeries(b);
        return new JFreeChart(new XYPlot(data, new NumberAxis("x"), new NumberAxis("y"),
                new XYLineAndShapeRenderer(true, false)));
    }

    @Test
    void pngHasTheRequestedSizeAndReadsBack() throws Exception {
        Path f = dir.resolve("c.png");
        ChartExport.writePng(lineChart(), 320, 200, f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, "a PNG ImageIO can decode");
        assertEquals(320, img.getWidth());
        assertEquals(200, img.getHeight());
    }

    @Test
    void svgIsWellFormedXmlWithTheRequestedSize() throws Exception {
        Path f = dir.resolve("c.svg");
        ChartExport.writeSvg(lineChart(), 400, 300, f);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        // the document names SVG 1.1's DTD; parse offline
        dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = dbf.newDocumentBuilder().parse(f.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertTrue(doc.getDocumentElement().getAttribute("width").startsWith("400"));
        assertTrue(doc.getDocumentElement().getAttribute("height").startsWith("300"));
        assertTrue(Files.readString(f).contains("<path") || Files.readString(f).contains("<line"),
                "the chart's lines are drawn as vector elements");
    }

    @Test
    void csvListsEveryPlottedPointWithQuotedSeriesNames() throws Exception {
        Path f = dir.resolve("c.csv");
        ChartExport.writeCsv(lineChart(), f);
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals(List.of("series,x,y", "\"sample, \"\"one\"\"\",0.5,0.25", "\"sample, \"\"one\"\"\",1.5,0.75",
                "two,-1.0,1.0"), lines);
    }

    @Test
    void histogramBarsExportTheirBinEdges() {
        org.jfree.data.xy.DefaultIntervalXYDataset d = new org.jfree.data.xy.DefaultIntervalXYDataset();
        // x, x_start, x_end, y, y_start, y_end
        d.addSeries("counts", new double[][] {{0.5}, {0}, {1}, {7}, {7}, {7}});
        JFreeChart chart = new JFreeChart(new XYPlot(d, new NumberAxis(), new NumberAxis(),
                new org.jfree.chart.renderer.xy.XYBarRenderer()));
        assertEquals("series,x,y,x_start,x_end\ncounts,0.5,7.0,0.0,1.0\n", ChartCsv.of(chart));
    }

    @Test
    void categoryChartsExportSeriesCategoryValue() {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        d.addValue(41.5, "SQNR (dB)", "conv1");
        d.addValue(12.0, "SQNR (dB)", "relu");
        JFreeChart chart = new JFreeChart(new CategoryPlot(d, new CategoryAxis(), new NumberAxis(), new BarRenderer()));
        assertEquals("series,category,value\nSQNR (dB),conv1,41.5\nSQNR (dB),relu,12.0\n", ChartCsv.of(chart));
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() {
        Path missing = dir.resolve("no-such-folder").resolve("c.png");
        try {
            ChartExport.writePng(lineChart(), 100, 100, missing);
        } catch (RuntimeException expected) {
            assertTrue(expected.getMessage().contains("c.png"), expected.getMessage());
        }
        assertFalse(Files.exists(missing));
    }
}
