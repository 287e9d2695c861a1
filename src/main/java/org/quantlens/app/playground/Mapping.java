package org.quantlens.app.playground;

import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.quant.Quantizer;

/**
 * How a real range maps onto an integer grid under one scheme, with what that does to a set of values.
 * Parameters are ONNX Runtime's ({@link QuantParams#onnxRuntime}: the range is widened to include 0, symmetric
 * schemes use [-absmax, absmax] and the restricted code range); quantization is ONNX QuantizeLinear's (round half to
 * even, saturate). E.g. [-1, 1] to uint8 asymmetric: scale = 2/255, zero point = round(0 - (-1)/(2/255)) =
 * round(127.5), i.e. 127 or 128 by half-to-even on the double quotient; int8 symmetric: scale = 1/127, zero point 0.
 *
 * @param spec      the scheme and bits
 * @param lo        the range asked for (lower end)
 * @param hi        the range asked for (upper end)
 * @param scale     real step between codes
 * @param zeroPoint the code of real 0
 * @param qmin      smallest code
 * @param qmax      largest code
 * @param sqnrDb    10 log10(sum x^2 / sum (x - fakeQuant(x))^2) over the values (+infinity when exact, NaN with none)
 * @param clipped   fraction of the values outside the representable range [clipMin(), clipMax()]
 */
public record Mapping(QuantSpec spec, double lo, double hi, double scale, int zeroPoint, int qmin, int qmax,
                      double sqnrDb, double clipped) {

    /** The mapping of [lo, hi] under {@code spec}, measured on {@code values}. */
    public static Mapping of(float[] values, double lo, double hi, QuantSpec spec) {
        QuantParams p = QuantParams.onnxRuntime((float) lo, (float) hi, spec);
        Quantizer q = Quantizer.of(p);
        double signal = 0;
        double noise = 0;
        long out = 0;
        float cmin = p.clipMin();
        float cmax = p.clipMax();
        for (float x : values) {
            double e = x - q.fakeQuant(x);
            signal += (double) x * x;
            noise += e * e;
            out += x < cmin || x > cmax ? 1 : 0;
        }
        double sqnr = values.length == 0 ? Double.NaN : noise == 0 ? Double.POSITIVE_INFINITY
                : 10 * Math.log10(signal / noise);
        return new Mapping(spec, lo, hi, p.scale(), p.zeroPoint(), p.qmin(), p.qmax(), sqnr,
                values.length == 0 ? 0 : (double) out / values.length);
    }

    /** The smallest representable real value, scale * (qmin - zeroPoint). */
    public double clipMin() {
        return (double) scale * (qmin - zeroPoint);
    }

    /** The largest representable real value, scale * (qmax - zeroPoint). */
    public double clipMax() {
        return (double) scale * (qmax - zeroPoint);
    }

    /** The real value of code {@code q}: scale * (q - zeroPoint). */
    public double real(int q) {
        return (double) scale * (q - zeroPoint);
    }

    /** The code of real {@code x} (QuantizeLinear). */
    public int code(double x) {
        return Quantizer.quantize((float) x, (float) scale, zeroPoint, qmin, qmax);
    }
}
