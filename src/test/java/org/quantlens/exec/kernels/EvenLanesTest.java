package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class EvenLanesTest {
    @Test
    void copiesEveryOtherSourceValueForAnyCountAndOffsets() {
        for (int count = 0; count <= 70; count++) {
            for (int from : new int[] {0, 1, 5}) {
                float[] src = ramp(from + 2 * count + 3);
                float[] dst = new float[count + 9];
                float[] expected = new float[count + 9];
                for (int i = 0; i < count; i++) {
                    expected[4 + i] = src[from + 2 * i];
                }
                EvenLanes.pick(src, from, dst, 4, count);
                assertArrayEquals(expected, dst, "count " + count + " from " + from);
            }
        }
    }

    @Test
    void readsNothingPastTheSourceAndWritesNothingPastTheCount() {
        for (int count = 1; count <= 40; count++) {
            // The last value picked is the last element of the source.
            float[] src = ramp(2 * count - 1);
            float[] dst = new float[count + 20];
            java.util.Arrays.fill(dst, -7f);
            float[] expected = dst.clone();
            for (int i = 0; i < count; i++) {
                expected[i] = src[2 * i];
            }
            EvenLanes.pick(src, 0, dst, 0, count);
            assertArrayEquals(expected, dst, "count " + count);
        }
    }

    @Test
    void inPlaceCompactionMovesTheEvenValuesToTheFront() {
        for (int count = 1; count <= 50; count++) {
            float[] a = ramp(2 * count + 40);
            float[] expected = a.clone();
            for (int i = 0; i < count; i++) {
                expected[i] = a[2 * i];
            }
            EvenLanes.pick(a, 0, a, 0, count);
            assertArrayEquals(java.util.Arrays.copyOf(expected, count), java.util.Arrays.copyOf(a, count),
                    "count " + count);
        }
    }

    @Test
    void splitSendsEvenValuesToOneDestinationAndOddValuesToTheOtherForAnyCount() {
        for (int pairs = 0; pairs <= 70; pairs++) {
            for (int from : new int[] {0, 1, 5}) {
                for (boolean plain : new boolean[] {false, true}) {
                    float[] src = ramp(from + 2 * pairs);
                    float[] even = new float[pairs + 9];
                    float[] odd = new float[pairs + 9];
                    java.util.Arrays.fill(even, -7f);
                    java.util.Arrays.fill(odd, -7f);
                    float[] expectedEven = even.clone();
                    float[] expectedOdd = odd.clone();
                    for (int i = 0; i < pairs; i++) {
                        expectedEven[3 + i] = src[from + 2 * i];
                        expectedOdd[5 + i] = src[from + 2 * i + 1];
                    }
                    // The source ends at the last value read: nothing past it may be touched.
                    EvenLanes.split(src, from, pairs, even, 3, odd, 5, plain);
                    String where = "pairs " + pairs + " from " + from + " plain " + plain;
                    assertArrayEquals(expectedEven, even, where);
                    assertArrayEquals(expectedOdd, odd, where);
                }
            }
        }
    }

    @Test
    void narrowSplitWritesWholeVectorsWithZeroLanesPastThePairs() {
        int vl = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (int pairs = 0; pairs < vl; pairs++) {
            float[] src = ramp(2 * vl + 3);
            float[] even = new float[vl + 6];
            float[] odd = new float[vl + 6];
            java.util.Arrays.fill(even, -7f);
            java.util.Arrays.fill(odd, -7f);
            float[] expectedEven = even.clone();
            float[] expectedOdd = odd.clone();
            for (int i = 0; i < vl; i++) {
                expectedEven[2 + i] = i < pairs ? src[3 + 2 * i] : 0f;
                expectedOdd[4 + i] = i < pairs ? src[3 + 2 * i + 1] : 0f;
            }
            EvenLanes.splitNarrow(src, 3, pairs, even, 2, odd, 4);
            assertArrayEquals(expectedEven, even, "pairs " + pairs);
            assertArrayEquals(expectedOdd, odd, "pairs " + pairs);
        }
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 0.5f;
        }
        return v;
    }
}
