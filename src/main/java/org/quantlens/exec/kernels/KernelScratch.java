package org.quantlens.exec.kernels;

/**
 * Per-thread scratch arrays for the convolution and matrix-multiply kernels, reused across calls so a model run
 * does not allocate (and the JVM does not zero) a fresh panel, im2col matrix or padded plane for every node and
 * every worker chunk. Each user has its own {@link Slot}, so nested users (a convolution calling the matrix
 * multiply) never share an array.
 *
 * <p>Contract: {@link #floats} returns an array of at least the requested length whose contents are whatever the
 * previous user of that slot on that thread left: callers write every element they read. Arrays above
 * {@value #MAX_CACHED_FLOATS} floats are not kept, so a thread retains at most a few megabytes.
 */
final class KernelScratch {
    /** One independent array per purpose. */
    enum Slot { SGEMM_PANEL, SGEMM_TAIL, IM2COL, IM2COL_PLANE, DEPTHWISE_PLANE, DEPTHWISE_ROWS, CONV_TILE }

    private static final int MAX_CACHED_FLOATS = 1 << 20;
    private static final ThreadLocal<float[][]> CACHE =
            ThreadLocal.withInitial(() -> new float[Slot.values().length][]);

    private KernelScratch() {
    }

    /** An array of length >= {@code size} with unspecified contents, owned by the calling thread until its next call. */
    static float[] floats(Slot slot, int size) {
        float[][] cache = CACHE.get();
        float[] a = cache[slot.ordinal()];
        if (a != null && a.length >= size) {
            return a;
        }
        a = new float[size];
        if (size <= MAX_CACHED_FLOATS) {
            cache[slot.ordinal()] = a;
        }
        return a;
    }
}
