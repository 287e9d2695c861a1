package org.quantlens.exec;

/**
 * Where kernels get their float32 output arrays: {@code OutputArrays.floats(n)} instead of {@code new float[n]}.
 *
 * <p>Outside an {@link Engine} run without a tap this is exactly {@code new float[n]} (zeroed). During such a run,
 * on the engine's thread, it may return an array of exactly {@code n} elements that an earlier node of this or an
 * earlier run of the same engine left behind, with its old contents: the JVM then neither allocates nor zeroes
 * (for MobileNetV2's 112x112 layers, zeroing 4.8 MB on one thread took as long as the multiply on two).
 *
 * <p>Contract for callers: <b>write every element of the array before the tensor is returned</b>, and never read an
 * element before writing it; do not keep the array after returning it (the engine may hand it to a later node once
 * its value is dead). Call from the thread that called the kernel, not from a parallel chunk (a worker thread
 * always gets a fresh array, which is correct but not reused). Kernels that need zeros, or fill only part of their
 * output, keep {@code new float[n]}.
 */
public final class OutputArrays {
    private static final ThreadLocal<OutputPool> ACTIVE = new ThreadLocal<>();

    private OutputArrays() {
    }

    /**
     * An array of exactly {@code n} floats with unspecified contents (zeros when no engine run recycles on this
     * thread); the caller writes every element. {@code n} must be >= 0, as for {@code new float[n]}.
     */
    public static float[] floats(int n) {
        OutputPool pool = ACTIVE.get();
        return pool == null ? new float[n] : pool.take(n);
    }

    /** Makes {@code pool} the calling thread's source of output arrays; returns the one it replaces (or null). */
    static OutputPool activate(OutputPool pool) {
        OutputPool previous = ACTIVE.get();
        ACTIVE.set(pool);
        return previous;
    }

    /** Undoes {@link #activate}: {@code previous} is what it returned. */
    static void restore(OutputPool previous) {
        if (previous == null) {
            ACTIVE.remove();
        } else {
            ACTIVE.set(previous);
        }
    }
}
