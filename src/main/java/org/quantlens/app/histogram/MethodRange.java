package org.quantlens.app.histogram;

import org.quantlens.calib.search.RangeMethod;

/**
 * Where one range method would clip the shown tensor.
 *
 * @param method the method
 * @param lo     its lower clip value
 * @param hi     its upper clip value
 * @param note   its first warning ("" when none), e.g. KL's single-candidate note
 */
public record MethodRange(RangeMethod method, double lo, double hi, String note) {
}
