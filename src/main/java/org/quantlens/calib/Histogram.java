package org.quantlens.calib;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;

/**
 * A streaming, mergeable histogram of float values with a fixed number of bins (default 2048).
 *
 * <p><b>Forms.</b> {@link Form#SIGNED} bins x itself over [lo, hi]; the first non-empty batch sets the range to its
 * [min, max]. {@link Form#ABSOLUTE} bins |x| over [0, hi]; the first batch sets hi = max |x|. In both forms the
 * exact observed minimum and maximum of the raw (signed) finite values are kept as floats.
 *
 * <p><b>Special values.</b> NaN, +Inf and -Inf are counted apart ({@link #nanCount()}, ...) and never binned; they do
 * not move min/max or the range.
 *
 * <p><b>Bins.</b> Bin i covers [edge(i), edge(i+1)); the last bin also holds values equal to hi.
 *
 * <p><b>Rebinning rule (growing the range).</b> The grid is a lattice fixed by an origin c (lo + h*w0 of the first
 * range, its centre for even bins, for SIGNED; 0 for ABSOLUTE) and a base width w0 (first range / bins). At level L the bin width is w0*2^L and
 * the range is [c - h*w, c + (bins - h)*w] with h = floor(bins/2) (SIGNED, bins >= 2) or [0, bins*w] (ABSOLUTE). A value outside
 * the range raises the level to the smallest L that covers it; every old bin then lies inside exactly one new bin
 * (old bin i goes to floor((i - h) / 2^k) + h, resp. floor(i / 2^k), k levels up), so no count is lost or
 * split, only resolution. The bin of x at level L is floor((x - c) / (w0 * 2^L)) (+ h): the same double
 * quotient scaled by a power of two at every level, so binning late and folding agree.
 *
 * <p><b>Merging.</b> {@link #merge} of two histograms on the same lattice (same form, bins, origin and w0: e.g. both
 * made by {@link #signed(int, double, double)} with the same range, or copies of one {@link #emptyCopy()}) equals one
 * pass over both inputs exactly (counts, min/max, special counts) provided no value lies exactly on the upper edge
 * of an intermediate range that was later grown past (such a value sits in the last bin by the closed-top rule, and
 * a fold keeps it below that edge while late binning puts it above). In particular it always holds when the
 * range given up front covers all data (no growth at all). Histograms on different lattices are merged by moving
 * each source bin whole to the target bin holding its centre: totals are exact, positions within one target bin.
 *
 * <p><b>Degenerate input.</b> A first batch whose finite values are all equal to v starts a tiny range around v
 * (w0 = ulp-scale), grown by doubling as later data arrives; all-zero absolute data keeps every count in bin 0.
 *
 * <p><b>Explicit edges.</b> Histograms read from files ({@link HistogramFile}) or built with ONNX Runtime's
 * semantics ({@link OrtHistogramCollector}) carry their exact (float32) edges, which {@link #edge(int)} returns so
 * that reference algorithms see the same numbers; adding data to such a histogram first rebins it onto a lattice
 * over [edge(0), edge(bins)] (centre rule) and the explicit edges are dropped.
 *
 * <p>Not thread-safe; one histogram per tensor per thread, then {@link #merge}.
 */
public final class Histogram {
    /** Default bin count, as TensorRT, ncnn and ONNX Runtime's percentile calibrator use. */
    public static final int DEFAULT_BINS = 2048;

    /** What is binned: x itself or |x|. */
    public enum Form { SIGNED, ABSOLUTE }

    private final Form form;
    private final int bins;
    private long[] counts;
    private boolean hasGrid;
    private double origin;
    private double baseWidth;
    private int level;
    private double[] explicitEdges;
    private long nan;
    private long posInf;
    private long negInf;
    private long zeros;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    private Histogram(Form form, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        if (form == Form.SIGNED && bins < 2) {
            throw new IllegalArgumentException("a signed histogram needs at least 2 bins, got " + bins);
        }
        this.form = form;
        this.bins = bins;
        this.counts = new long[bins];
    }

    /** Signed histogram of {@link #DEFAULT_BINS} bins whose range is set by the first batch. */
    public static Histogram signed() {
        return signed(DEFAULT_BINS);
    }

    /** Histogram of |x| with {@link #DEFAULT_BINS} bins whose range is set by the first batch. */
    public static Histogram absolute() {
        return absolute(DEFAULT_BINS);
    }

    /** Signed histogram whose range is set by the first batch. */
    public static Histogram signed(int bins) {
        return new Histogram(Form.SIGNED, bins);
    }

    /** Signed histogram with the range [lo, hi] given up front (grown by the lattice rule if data falls outside). */
    public static Histogram signed(int bins, double lo, double hi) {
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("need finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        Histogram h = new Histogram(Form.SIGNED, bins);
        double w = (hi - lo) / bins;
        h.setGrid(lo + (bins / 2) * w, w);
        return h;
    }

    /** Histogram of |x| whose range [0, max|x|] is set by the first batch. */
    public static Histogram absolute(int bins) {
        return new Histogram(Form.ABSOLUTE, bins);
    }

    /** Histogram of |x| with the range [0, hi] given up front. */
    public static Histogram absolute(int bins, double hi) {
        if (!(hi > 0) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("need finite hi > 0, got " + hi);
        }
        Histogram h = new Histogram(Form.ABSOLUTE, bins);
        h.setGrid(0, hi / bins);
        return h;
    }

    /**
     * A histogram with given counts and explicit edges (edges.length == counts.length + 1, non-decreasing), and the
     * observed min/max of the data it was built from; e.g. ONNX Runtime's histograms. Arrays are copied.
     */
    public static Histogram withEdges(Form form, long[] counts, double[] edges, float min, float max) {
        if (edges.length != counts.length + 1) {
            throw new IllegalArgumentException("edges must have counts.length + 1 entries");
        }
        if (counts.length < (form == Form.SIGNED ? 2 : 1)) {
            throw new IllegalArgumentException(form + " histogram needs at least " + (form == Form.SIGNED ? 2 : 1)
                    + " bins, got " + counts.length);
        }
        Histogram h = new Histogram(form, counts.length, true);
        h.counts = counts.clone();
        h.explicitEdges = edges.clone();
        h.hasGrid = true;
        h.min = min;
        h.max = max;
        return h;
    }

    private Histogram(Form form, int bins, boolean unchecked) {
        this.form = form;
        this.bins = bins;
        this.counts = new long[bins];
    }

    /** An empty histogram on this one's lattice (same form, bins, origin, base width and level). */
    public Histogram emptyCopy() {
        Histogram h = new Histogram(form, bins, true);
        h.hasGrid = hasGrid && explicitEdges == null;
        h.origin = origin;
        h.baseWidth = baseWidth;
        h.level = level;
        return h;
    }

    /** A deep copy. */
    public Histogram copy() {
        Histogram h = emptyCopy();
        h.hasGrid = hasGrid;
        h.counts = counts.clone();
        h.explicitEdges = explicitEdges == null ? null : explicitEdges.clone();
        h.nan = nan;
        h.posInf = posInf;
        h.negInf = negInf;
        h.zeros = zeros;
        h.min = min;
        h.max = max;
        return h;
    }

    private void setGrid(double c, double w0) {
        origin = c;
        baseWidth = w0;
        level = 0;
        hasGrid = true;
    }

    /** Adds every element of {@code data}. */
    public void add(float[] data) {
        add(data, 0, data.length);
    }

    /** Adds {@code data[offset .. offset+length)} on the calling thread. */
    public void add(float[] data, int offset, int length) {
        add(data, offset, length, ExecContext.singleThreaded());
    }

    /**
     * Adds {@code data[offset .. offset+length)}, splitting large batches over ctx's workers; the result is
     * identical to the single-threaded one (integer counts, exact min/max), whatever the thread count.
     */
    public void add(float[] data, int offset, int length, ExecContext ctx) {
        add(data, offset, length, HistogramBinning.scan(data, offset, offset + length, ctx), ctx);
    }

    /** Adds the whole of {@code data}, whose {@link HistogramBinning#scan} is {@code scan} (made once, shared). */
    void add(float[] data, HistogramBinning.Scan scan, ExecContext ctx) {
        add(data, 0, data.length, scan, ctx);
    }

    private void add(float[] data, int offset, int length, HistogramBinning.Scan scan, ExecContext ctx) {
        nan += scan.nan();
        posInf += scan.posInf();
        negInf += scan.negInf();
        float bmin = scan.min();
        float bmax = scan.max();
        if (bmin > bmax) {
            return;
        }
        dropExplicitEdges();
        if (!hasGrid) {
            initialiseGrid(bmin, bmax);
        }
        cover(form == Form.ABSOLUTE ? Math.max(Math.abs(bmin), Math.abs(bmax)) : bmin);
        cover(form == Form.ABSOLUTE ? 0 : bmax);
        zeros += HistogramBinning.bin(data, offset, offset + length, origin, Math.scalb(baseWidth, level),
                form == Form.ABSOLUTE, counts, ctx);
        min = Math.min(min, bmin);
        max = Math.max(max, bmax);
    }

    private void initialiseGrid(float bmin, float bmax) {
        if (form == Form.ABSOLUTE) {
            double amax = Math.max(Math.abs((double) bmin), Math.abs((double) bmax));
            setGrid(0, amax > 0 ? Math.nextUp(amax / bins) : Double.MIN_NORMAL);
        } else if (bmax > bmin) {
            double lo = bmin;
            double hi = bmax;
            double w = Math.nextUp((hi - lo) / bins);
            setGrid(lo + (bins / 2) * w, w);
        } else {
            double v = bmin;
            setGrid(v, Math.max(Math.ulp(v), Double.MIN_NORMAL));
        }
    }

    /**
     * Position of x in bin widths of level lvl, relative to the origin: (x - c) / (w0 * 2^lvl), one rounding, so it
     * is the same quotient scaled by a power of two at every level (and cannot overflow for float data).
     */
    private double position(double x, int lvl) {
        return (x - origin) / Math.scalb(baseWidth, lvl);
    }

    private boolean covers(double x, int lvl) {
        double s = position(x, lvl);
        return form == Form.ABSOLUTE ? (s >= 0 && s <= bins) : (s >= -(bins / 2) && s <= bins - bins / 2);
    }

    /** Raises the level until x (|x| for ABSOLUTE) lies in the range. */
    private void cover(double x) {
        double v = form == Form.ABSOLUTE ? Math.abs(x) : x;
        int needed = level;
        while (!covers(v, needed)) {
            needed++;
            if (needed > level + 4200) { // beyond any double exponent: the lattice is unusable (NaN origin/width)
                throw new IllegalStateException("histogram lattice cannot cover " + x + ": " + this);
            }
        }
        raiseLevel(needed);
    }

    private void raiseLevel(int newLevel) {
        if (newLevel <= level) {
            return;
        }
        int k = newLevel - level;
        long[] folded = new long[bins];
        for (int i = 0; i < bins; i++) {
            if (counts[i] != 0) {
                folded[foldIndex(i, k)] += counts[i];
            }
        }
        counts = folded;
        level = newLevel;
    }

    private int foldIndex(int i, int k) {
        if (k >= 31) {
            return form == Form.ABSOLUTE ? 0 : bins / 2 - (i < bins / 2 ? 1 : 0);
        }
        if (form == Form.ABSOLUTE) {
            return i >> k;
        }
        return ((i - bins / 2) >> k) + bins / 2; // arithmetic shift = floor division by 2^k
    }

    private int binOf(double x) {
        double s = position(form == Form.ABSOLUTE ? Math.abs(x) : x, level);
        long idx = (long) Math.floor(s) + (form == Form.ABSOLUTE ? 0 : bins / 2);
        return (int) Math.max(0, Math.min(bins - 1, idx));
    }

    private void dropExplicitEdges() {
        if (explicitEdges == null) {
            return;
        }
        double[] e = explicitEdges;
        long[] old = counts;
        explicitEdges = null;
        counts = new long[bins];
        double lo = e[0];
        double hi = e[bins];
        if (form == Form.ABSOLUTE) {
            setGrid(0, Math.nextUp(Math.max(hi, Double.MIN_NORMAL) / bins));
        } else {
            double w = Math.nextUp(Math.max(hi - lo, Double.MIN_NORMAL) / bins);
            setGrid(lo + (bins / 2) * w, w);
        }
        for (int i = 0; i < bins; i++) {
            counts[binOf((e[i] + e[i + 1]) / 2)] += old[i];
        }
    }

    /**
     * Adds the other histogram's counts into this one (see the class comment for when this is exact). Both must
     * have the same form and bin count.
     */
    public void merge(Histogram other) {
        if (other.form != form || other.bins != bins) {
            throw new IllegalArgumentException("cannot merge a " + other.form + "/" + other.bins + " histogram into a "
                    + form + "/" + bins + " one");
        }
        nan += other.nan;
        posInf += other.posInf;
        negInf += other.negInf;
        zeros += other.zeros;
        if (other.total() == 0) {
            return;
        }
        dropExplicitEdges();
        if (!hasGrid) {
            Histogram src = other.explicitEdges == null ? other : other.copy();
            src.dropExplicitEdges();
            setGrid(src.origin, src.baseWidth);
            level = src.level;
        }
        if (other.explicitEdges == null && other.origin == origin && other.baseWidth == baseWidth) {
            raiseLevel(Math.max(level, other.level));
            for (int i = 0; i < bins; i++) {
                counts[foldIndex(i, level - other.level)] += other.counts[i];
            }
        } else {
            cover(other.edge(0));
            cover(other.edge(bins));
            for (int i = 0; i < bins; i++) {
                if (other.counts[i] != 0) {
                    counts[binOf((other.edge(i) + other.edge(i + 1)) / 2)] += other.counts[i];
                }
            }
        }
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public Form form() {
        return form;
    }

    public int bins() {
        return bins;
    }

    /** Count in bin i. */
    public long count(int i) {
        return counts[i];
    }

    /** A copy of the bin counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** Sum of all bin counts (finite values only). */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Left edge of bin i; edge(bins) is the upper end of the range. 0 for every i before any data. */
    public double edge(int i) {
        if (explicitEdges != null) {
            return explicitEdges[i];
        }
        if (!hasGrid) {
            return 0;
        }
        double w = Math.scalb(baseWidth, level);
        return form == Form.ABSOLUTE ? i * w : origin + (i - bins / 2) * w;
    }

    /** All bins + 1 edges. */
    public double[] edges() {
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = edge(i);
        }
        return e;
    }

    /** Lower end of the binned range. */
    public double lo() {
        return edge(0);
    }

    /** Upper end of the binned range. */
    public double hi() {
        return edge(bins);
    }

    /** True when the edges were given explicitly (file, ONNX Runtime) rather than by the lattice. */
    public boolean hasExplicitEdges() {
        return explicitEdges != null;
    }

    /** Smallest finite value seen (the raw signed value, also in ABSOLUTE form); NaN when none. */
    public float min() {
        return min <= max ? min : Float.NaN;
    }

    /** Largest finite value seen; NaN when none. */
    public float max() {
        return min <= max ? max : Float.NaN;
    }

    public long nanCount() {
        return nan;
    }

    public long positiveInfinityCount() {
        return posInf;
    }

    public long negativeInfinityCount() {
        return negInf;
    }

    /** How many binned values were exactly zero (+0 or -0); 0 for histograms read from files. */
    public long zeroCount() {
        return zeros;
    }

    /**
     * This histogram as a histogram of |x| over [0, max(|lo|, |hi|)] with the same bin count: each bin's count
     * moves whole to the bin holding |its centre| (approximate within one bin; exact zeros stay in bin 0).
     * Min/max and special counts are kept. An ABSOLUTE histogram is returned as a copy.
     */
    public Histogram toAbsolute() {
        if (form == Form.ABSOLUTE) {
            return copy();
        }
        Histogram a = new Histogram(Form.ABSOLUTE, bins);
        if (hasGrid) {
            double amax = Math.max(Math.abs(edge(0)), Math.abs(edge(bins)));
            a.setGrid(0, Math.max(amax, Double.MIN_NORMAL) / bins);
            a.cover(amax);
            for (int i = 0; i < bins; i++) {
                if (counts[i] != 0) {
                    a.counts[a.binOf(Math.abs((edge(i) + edge(i + 1)) / 2))] += counts[i];
                }
            }
            if (zeros > 0) {
                int zb = binOf(0);
                long moved = Math.min(zeros, counts[zb]);
                a.counts[a.binOf(Math.abs((edge(zb) + edge(zb + 1)) / 2))] -= moved;
                a.counts[0] += moved;
            }
        }
        a.nan = nan;
        a.posInf = posInf;
        a.negInf = negInf;
        a.zeros = zeros;
        a.min = min;
        a.max = max;
        return a;
    }

    /** True when no finite value has been binned. */
    public boolean isEmpty() {
        return total() == 0;
    }

    @Override
    public String toString() {
        return "Histogram[" + form + ", " + bins + " bins, [" + lo() + ", " + hi() + "], total=" + total()
                + ", min=" + min() + ", max=" + max() + ", nan=" + nan + ", +inf=" + posInf + ", -inf=" + negInf + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Histogram h)) {
            return false;
        }
        return form == h.form && bins == h.bins && Arrays.equals(counts, h.counts) && Arrays.equals(edges(), h.edges())
                && nan == h.nan && posInf == h.posInf && negInf == h.negInf
                && Float.compare(min(), h.min()) == 0 && Float.compare(max(), h.max()) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + bins;
    }
}
