package org.quantlens.runtime.fast;

import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.runtime.reference.WindowGeometry;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Fast integer pools, bit-exact with {@link org.quantlens.runtime.reference.QPoolKernels} (same methods, same
 * contracts). They work on the stored bytes directly instead of widened int codes: a code's order is the order
 * of its signed view {@code b ^ flip} (see {@link Codes}), so the maximum is taken there and the winning byte is
 * written back unchanged.
 */
public final class QPoolKernels {
    private QPoolKernels() {
    }

    /**
     * As {@link org.quantlens.runtime.reference.QPoolKernels#maxPool}: {@code y = max over the window of x} on codes,
     * padding skipped, an output whose window lies entirely in padding is the zero point. Tensors whose storage type
     * is not the one {@code p} implies go to the reference kernel. Parallel over (image, channel) planes.
     */
    public static OpKernel maxPool(Node node, QuantParams p) {
        OpKernel reference = org.quantlens.runtime.reference.QPoolKernels.maxPool(node, p);
        return (inputs, ctx) -> {
            Tensor in = inputs[0];
            if (in.rank() != 4) {
                throw new KernelException("integer pools need an NCHW input, got " + in.shape());
            }
            if (in.dtype() != QuantTensors.dtypeFor(p)) {
                return reference.compute(inputs, ctx);
            }
            int[] d = in.shape().dims();
            WindowGeometry g = WindowGeometry.of(node, d[2], d[3], null);
            byte[] src = in.bytes();
            byte[] dst = new byte[d[0] * d[1] * g.outH() * g.outW()];
            int flip = Codes.flipOf(Codes.shiftOf(in));
            byte empty = (byte) p.zeroPoint();
            ctx.parallelFor(d[0] * d[1], (long) g.kernelH() * g.kernelW() * g.outH() * g.outW(), (s, e) -> {
                for (int nc = s; nc < e; nc++) {
                    maxPlane(src, nc * d[2] * d[3], d[2], d[3], g, flip, empty, dst, nc * g.outH() * g.outW());
                }
            });
            return new Tensor[] {Tensor.of(in.dtype(), Shape.of(d[0], d[1], g.outH(), g.outW()), dst)};
        };
    }

    /** One plane: for every output the largest signed view {@code b ^ flip} over the window's inside taps. */
    private static void maxPlane(byte[] src, int at, int h, int w, WindowGeometry g, int flip, byte empty,
                                 byte[] dst, int outAt) {
        if (g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padTop() == 0
                && g.padLeft() == 0 && g.dilationH() == 1 && g.dilationW() == 1 && 2 * g.outH() <= h
                && 2 * g.outW() <= w) {
            maxPlane2x2(src, at, w, g.outH(), g.outW(), flip, dst, outAt);
            return;
        }
        for (int oh = 0, o = outAt; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++, o++) {
                int iw0 = ow * g.strideW() - g.padLeft();
                int best = Integer.MIN_VALUE;
                for (int kh = 0; kh < g.kernelH(); kh++) {
                    int ih = ih0 + kh * g.dilationH();
                    if (ih < 0 || ih >= h) {
                        continue;
                    }
                    int row = at + ih * w;
                    for (int kw = 0; kw < g.kernelW(); kw++) {
                        int iw = iw0 + kw * g.dilationW();
                        if (iw >= 0 && iw < w) {
                            best = Math.max(best, (byte) (src[row + iw] ^ flip));
                        }
                    }
                }
                dst[o] = best == Integer.MIN_VALUE ? empty : (byte) (best ^ flip);
            }
        }
    }

    /** The common 2x2 window with stride 2 lying wholly inside the plane: four taps, no bounds to check. */
    private static void maxPlane2x2(byte[] src, int at, int w, int outH, int outW, int flip, byte[] dst, int outAt) {
        for (int oh = 0, o = outAt; oh < outH; oh++) {
            int top = at + 2 * oh * w;
            int bottom = top + w;
            for (int ow = 0; ow < outW; ow++, o++) {
                int c = 2 * ow;
                int best = Math.max(Math.max((byte) (src[top + c] ^ flip), (byte) (src[top + c + 1] ^ flip)),
                        Math.max((byte) (src[bottom + c] ^ flip), (byte) (src[bottom + c + 1] ^ flip)));
                dst[o] = (byte) (best ^ flip);
            }
        }
    }
}
