package org.quantlens.runtime.reference;

import org.quantlens.exec.KernelException;
import org.quantlens.ir.Node;

/**
 * The 2-D sliding-window attributes shared by Conv and the pools (ONNX spec): {@code kernel_shape},
 * {@code strides} (default 1), {@code dilations} (default 1), {@code pads} [top, left, bottom, right] (default 0),
 * {@code auto_pad} (NOTSET, VALID, SAME_UPPER, SAME_LOWER) and, for pools, {@code ceil_mode}. Output size per axis
 * with effective kernel {@code e = d * (k - 1) + 1}:
 * explicit pads {@code floor((in + pb + pe - e) / s) + 1} (ceil with ceil_mode, dropping a last window that would
 * start in the end padding); SAME_* {@code ceil(in / s)} with total padding {@code max(0, (out-1)*s + e - in)},
 * the odd pixel at the end (UPPER) or start (LOWER); VALID {@code ceil((in - e + 1) / s)}.
 *
 * @param kernelH   kernel height
 * @param kernelW   kernel width
 * @param strideH   vertical stride
 * @param strideW   horizontal stride
 * @param dilationH vertical dilation
 * @param dilationW horizontal dilation
 * @param padTop    padding before row 0 (resolved for the given input size)
 * @param padLeft   padding before column 0
 * @param padBottom padding after the last row
 * @param padRight  padding after the last column
 * @param outH      output height
 * @param outW      output width
 */
public record WindowGeometry(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
                             int padTop, int padLeft, int padBottom, int padRight, int outH, int outW) {

    /**
     * Resolves the node's window attributes for an input of {@code inH x inW}; {@code kernel} is the kernel size
     * when the node has no {@code kernel_shape} (Conv takes it from the weight), else null.
     *
     * @throws KernelException for a non-2-D window, non-positive stride/dilation/kernel, negative pads, an unknown
     *                         auto_pad or an empty output
     */
    public static WindowGeometry of(Node node, int inH, int inW, int[] kernel) {
        long[] k = node.attrInts("kernel_shape", kernel == null ? null : new long[] {kernel[0], kernel[1]});
        if (k == null || k.length != 2) {
            throw new KernelException("only 2-D windows are supported (kernel_shape)");
        }
        long[] s = node.attrInts("strides", new long[] {1, 1});
        long[] d = node.attrInts("dilations", new long[] {1, 1});
        long[] p = node.attrInts("pads", new long[] {0, 0, 0, 0});
        if (s.length != 2 || d.length != 2 || p.length != 4) {
            throw new KernelException("strides/dilations need 2 values and pads 4");
        }
        for (int i = 0; i < 2; i++) {
            if (k[i] < 1 || s[i] < 1 || d[i] < 1 || k[i] > 1 << 16 || s[i] > 1 << 16 || d[i] > 1 << 16) {
                throw new KernelException("kernel, stride and dilation must be in 1..65536");
            }
        }
        for (long v : p) {
            if (v < 0 || v > 1 << 16) {
                throw new KernelException("pads must be in 0..65536");
            }
        }
        String autoPad = node.attrString("auto_pad", "NOTSET");
        boolean ceil = node.attrInt("ceil_mode", 0) != 0;
        int[] h = axis(inH, (int) k[0], (int) s[0], (int) d[0], (int) p[0], (int) p[2], autoPad, ceil);
        int[] w = axis(inW, (int) k[1], (int) s[1], (int) d[1], (int) p[1], (int) p[3], autoPad, ceil);
        return new WindowGeometry((int) k[0], (int) k[1], (int) s[0], (int) s[1], (int) d[0], (int) d[1],
                h[0], w[0], h[1], w[1], h[2], w[2]);
    }

    /** {padBegin, padEnd, out} for one axis. */
    private static int[] axis(int in, int k, int s, int d, int pb, int pe, String autoPad, boolean ceil) {
        long e = (long) d * (k - 1) + 1;
        long out;
        switch (autoPad) {
            case "NOTSET" -> {
                long span = in + (long) pb + pe - e;
                out = span < 0 ? 0 : (ceil ? Math.floorDiv(span + s - 1, s) : span / s) + 1;
                if (ceil && out > 0 && (out - 1) * s >= in + (long) pb) {
                    out--;
                }
            }
            case "VALID" -> {
                pb = 0;
                pe = 0;
                out = in - e + 1 <= 0 ? 0 : (in - e + s) / s;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                out = (in + (long) s - 1) / s;
                long total = Math.max(0, (out - 1) * s + e - in);
                pb = (int) (autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2);
                pe = (int) (total - pb);
            }
            default -> throw new KernelException("unknown auto_pad " + autoPad);
        }
        if (out <= 0) {
            throw new KernelException("window of " + e + " does not fit an input of " + in);
        }
        return new int[] {pb, pe, (int) out};
    }
}
