package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are what Python 3's repr() and json.dumps() print (checked once with python3 when writing the test). */
class PythonReprTest {
    @Test
    void reprMatchesPythonForPositionalAndScientificForms() {
        assertEquals("0.0", PythonRepr.repr(0.0));
        assertEquals("-0.75", PythonRepr.repr(-0.75));
        assertEquals("1.75", PythonRepr.repr(1.75));
        assertEquals("1e-05", PythonRepr.repr(1e-5));
        assertEquals("0.0001", PythonRepr.repr(1e-4));
        assertEquals("1e+16", PythonRepr.repr(1e16));
        assertEquals("1000000000000000.0", PythonRepr.repr(1e15));
        assertEquals("123456789.125", PythonRepr.repr(123456789.125));
        assertEquals("2.5e-07", PythonRepr.repr(2.5e-7));
        assertEquals("26.0", PythonRepr.repr(26.0));
    }

    @Test
    void float32ValuesPrintAsTheirDoubleLikeNumpyItem() {
        assertEquals("0.10000000149011612", PythonRepr.repr(0.1f));
        // from ../shared/reference/digits_lenet/ort_calibration_table/calibration.cache
        assertEquals("10.530684471130371", PythonRepr.repr(10.530684471130371f));
        assertEquals("26.45629119873047", PythonRepr.repr(26.45629119873047f));
    }

    @Test
    void jsonStringEscapesLikeJsonDumps() {
        assertEquals("\"/c1/Conv_output_0\"", PythonRepr.jsonString("/c1/Conv_output_0"));
        assertEquals("\"a\\\"b\\\\c\\n\\u00e9\\u007f\"", PythonRepr.jsonString("a\"b\\c\né\u007f"));
    }
}
