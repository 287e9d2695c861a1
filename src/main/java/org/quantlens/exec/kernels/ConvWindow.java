package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Node;

/**
 * The sliding-window attributes shared by Conv, MaxPool and AveragePool, parsed and checked once when the kernel is
 * created: {@code kernel_shape}, {@code strides}, {@code dilations}, {@code pads}, {@code auto_pad} and
 * {@code ceil_mode}. {@link #geometry} turns them into a {@link ConvGeometry} for a concrete input.
 *
 * <p>Output size per spatial axis, as the ONNX spec (Conv-22, MaxPool-22, AveragePool-22) defines it, with
 * {@code eff = (kernel - 1) * dilation + 1}:
 * <ul>
 *   <li>NOTSET: {@code floor((in + padBegin + padEnd - eff) / stride) + 1}; with {@code ceil_mode} the division
 *       rounds up, and a last window that would start in the right padding
 *       ({@code (out - 1) * stride >= in + padBegin}) is dropped (ONNX reference, ONNX Runtime, PyTorch).</li>
 *   <li>SAME_UPPER / SAME_LOWER: {@code ceil(in / stride)}, total padding
 *       {@code max(0, (out - 1) * stride + eff - in)} split evenly, the odd one at the end (UPPER) or the
 *       beginning (LOWER).</li>
 *   <li>VALID: no padding, {@code floor((in - eff) / stride) + 1}.</li>
 * </ul>
 * With auto_pad other than NOTSET, {@code ceil_mode} is ignored (the ONNX reference rejects the combination).
 */
final class ConvWindow {
    /** The ONNX auto_pad modes. */
    enum AutoPad { NOTSET, SAME_UPPER, SAME_LOWER, VALID }

    private final long[] kernelShape;
    private final long[] strides;
    private final long[] dilations;
    private final long[] pads;
    private final AutoPad autoPad;
    private final boolean ceilMode;

    private ConvWindow(long[] kernelShape, long[] strides, long[] dilations, long[] pads, AutoPad autoPad,
                       boolean ceilMode) {
        this.kernelShape = kernelShape;
        this.strides = strides;
        this.dilations = dilations;
        this.pads = pads;
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
    }

    /**
     * Parses the window attributes of {@code node}. {@code kernelRequired} is true for the pools (Conv infers the
     * kernel from W). Throws {@link KernelException} for a non-positive kernel, stride or dilation, a negative pad,
     * an unknown auto_pad, or lists whose lengths disagree.
     */
    static ConvWindow parse(Node node, boolean kernelRequired) {
        long[] kernel = node.attrInts("kernel_shape", null);
        if (kernel == null && kernelRequired) {
            throw new KernelException("attribute kernel_shape is required");
        }
        long[] strides = node.attrInts("strides", null);
        long[] dilations = node.attrInts("dilations", null);
        long[] pads = node.attrInts("pads", null);
        String mode = node.attrString("auto_pad", "NOTSET");
        AutoPad autoPad;
        try {
            autoPad = AutoPad.valueOf(mode.isEmpty() ? "NOTSET" : mode);
        } catch (IllegalArgumentException e) {
            throw new KernelException("auto_pad '" + mode + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        }
        long ceil = node.attrInt("ceil_mode", 0);
        if (ceil != 0 && ceil != 1) {
            throw new KernelException("ceil_mode must be 0 or 1, got " + ceil);
        }
        requireAll(kernel, 1, "kernel_shape");
        requireAll(strides, 1, "strides");
        requireAll(dilations, 1, "dilations");
        requireAll(pads, 0, "pads");
        int rank = kernel != null ? kernel.length : strides != null ? strides.length
                : dilations != null ? dilations.length : pads != null ? pads.length / 2 : -1;
        if (rank == 0 || rank > 3) {
            throw new KernelException("only 1, 2 or 3 spatial dimensions are supported, got " + rank);
        }
        if (rank > 0) {
            requireLength(strides, rank, "strides");
            requireLength(dilations, rank, "dilations");
            requireLength(pads, 2 * rank, "pads");
        }
        return new ConvWindow(kernel, strides, dilations, pads, autoPad, ceil == 1);
    }

    private static void requireAll(long[] values, long min, String name) {
        if (values == null) {
            return;
        }
        for (long v : values) {
            if (v < min || v > Integer.MAX_VALUE) {
                throw new KernelException(name + " " + Arrays.toString(values) + " must all be >= " + min);
            }
        }
    }

    private static void requireLength(long[] values, int len, String name) {
        if (values != null && values.length != len) {
            throw new KernelException(name + " " + Arrays.toString(values) + " should have " + len + " entries");
        }
    }

    /** The kernel_shape attribute, or null when absent (Conv then takes it from W). */
    long[] kernelShape() {
        return kernelShape == null ? null : kernelShape.clone();
    }

    /**
     * The window geometry for input spatial dims {@code in} and kernel spatial dims {@code kernel} (same length,
     * 1 to 3). Throws {@link KernelException} when the attribute lists have another length or the padded input
     * is smaller than the dilated kernel.
     */
    ConvGeometry geometry(int[] in, int[] kernel) {
        int r = in.length;
        if (r < 1 || r > 3) {
            throw new KernelException("only 1, 2 or 3 spatial dimensions are supported, got " + r);
        }
        if (kernelShape != null && kernelShape.length != r || strides != null && strides.length != r
                || dilations != null && dilations.length != r || pads != null && pads.length != 2 * r) {
            throw new KernelException("window attributes (kernel_shape, strides, dilations, pads) do not fit "
                    + r + " spatial dimensions");
        }
        int[] stride = new int[r];
        int[] dilation = new int[r];
        int[] padBegin = new int[r];
        int[] padEnd = new int[r];
        int[] out = new int[r];
        long volume = 1;
        for (int i = 0; i < r; i++) {
            stride[i] = strides == null ? 1 : (int) strides[i];
            dilation[i] = dilations == null ? 1 : (int) dilations[i];
            long eff = (long) (kernel[i] - 1) * dilation[i] + 1;
            long o;
            switch (autoPad) {
                case SAME_UPPER, SAME_LOWER -> {
                    o = (in[i] + (long) stride[i] - 1) / stride[i];
                    long total = Math.max(0, (o - 1) * stride[i] + eff - in[i]);
                    long small = total / 2;
                    padBegin[i] = (int) (autoPad == AutoPad.SAME_UPPER ? small : total - small);
                    padEnd[i] = (int) (total - padBegin[i]);
                }
                case VALID -> o = in[i] >= eff ? (in[i] - eff) / stride[i] + 1 : 0;
                default -> {
                    padBegin[i] = pads == null ? 0 : (int) pads[i];
                    padEnd[i] = pads == null ? 0 : (int) pads[i + r];
                    o = explicitOutput(in[i], padBegin[i], padEnd[i], eff, stride[i]);
                }
            }
            if (o < 1) {
                throw new KernelException("input spatial size " + Arrays.toString(in) + " is smaller than the "
                        + "dilated kernel " + Arrays.toString(kernel) + " plus padding");
            }
            // Keeps every coordinate computed later (o * stride - padBegin + k * dilation) inside int range.
            if ((o - 1) * stride[i] + eff + in[i] + padBegin[i] + padEnd[i] >= Integer.MAX_VALUE) {
                throw new KernelException("window attributes are too large for input " + Arrays.toString(in));
            }
            out[i] = (int) o;
            volume *= o;
        }
        if (volume > Integer.MAX_VALUE - 8) {
            throw new KernelException("output spatial size " + Arrays.toString(out) + " is too large");
        }
        return ConvGeometry.of(in, kernel, stride, dilation, padBegin, padEnd, out);
    }

    private long explicitOutput(int in, int padBegin, int padEnd, long eff, int stride) {
        long span = (long) in + padBegin + padEnd - eff;
        if (span < 0) {
            return 0;
        }
        if (!ceilMode) {
            return span / stride + 1;
        }
        long o = (span + stride - 1) / stride + 1;
        if ((o - 1) * stride >= (long) in + padBegin) {
            o--;
        }
        return o;
    }
}
