package org.quantlens.calib.metrics;

/**
 * A reusable holder for the numbers of {@link ErrorMetrics}, so that sweeping thresholds (a drag in the app,
 * a search) allocates nothing per evaluation. Not thread-safe; one per thread.
 */
public final class MutableErrorMetrics {
    private double mse;
    private double sqnrDb;
    private double cosine;
    private double kl;
    private double fractionClipped;
    private double roundingMse;
    private double clippingMse;

    /** A holder initialised to {@link ErrorMetrics#EMPTY}. */
    public MutableErrorMetrics() {
        set(0, ErrorMetrics.SQNR_CAP_DB, 1, 0, 0, 0, 0);
    }

    void set(double mse, double sqnrDb, double cosine, double kl, double fractionClipped, double roundingMse,
             double clippingMse) {
        this.mse = mse;
        this.sqnrDb = sqnrDb;
        this.cosine = cosine;
        this.kl = kl;
        this.fractionClipped = fractionClipped;
        this.roundingMse = roundingMse;
        this.clippingMse = clippingMse;
    }

    /** An immutable copy. */
    public ErrorMetrics toRecord() {
        return new ErrorMetrics(mse, sqnrDb, cosine, kl, fractionClipped, roundingMse, clippingMse);
    }

    /** See {@link ErrorMetrics#mse()}. */
    public double mse() {
        return mse;
    }

    /** See {@link ErrorMetrics#sqnrDb()}. */
    public double sqnrDb() {
        return sqnrDb;
    }

    /** See {@link ErrorMetrics#cosine()}. */
    public double cosine() {
        return cosine;
    }

    /** See {@link ErrorMetrics#kl()}. */
    public double kl() {
        return kl;
    }

    /** See {@link ErrorMetrics#fractionClipped()}. */
    public double fractionClipped() {
        return fractionClipped;
    }

    /** See {@link ErrorMetrics#roundingMse()}. */
    public double roundingMse() {
        return roundingMse;
    }

    /** See {@link ErrorMetrics#clippingMse()}. */
    public double clippingMse() {
        return clippingMse;
    }

    @Override
    public String toString() {
        return toRecord().toString();
    }
}
