package io.elanus.segment;

/**
 * Float16 (IEEE binary16) and BFloat16 conversions. Both widen to float exactly, and a widened
 * value narrows back to the same bits, so columns can keep half-precision vectors as floats.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    public static float fp16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToFp16(float value) {
        return Float.floatToFloat16(value);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Rounds to nearest even; exact (truncation) for values that came from {@link #bf16ToFloat}. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
