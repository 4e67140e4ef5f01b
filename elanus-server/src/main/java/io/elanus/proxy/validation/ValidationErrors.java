package io.elanus.proxy.validation;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;

/**
 * Milvus's {@code merr} parameter-error wordings: {@code WrapErrParameterInvalidMsg} gives
 * {@code "<msg>: invalid parameter"}, {@code WrapErrParameterInvalid(expected, actual, msg)} gives
 * {@code "<msg>: invalid parameter[expected=..][actual=..]"}.
 */
public final class ValidationErrors {
    private ValidationErrors() {
    }

    static MilvusException invalid(String msg) {
        return MilvusException.invalidParameter(msg);
    }

    static MilvusException invalid(Object expected, Object actual, String msg) {
        return new MilvusException(MilvusError.PARAMETER_INVALID,
                msg + ": invalid parameter[expected=" + expected + "][actual=" + actual + "]");
    }

    /** Go's {@code %f} rendering of a non-finite float, as Milvus prints it. */
    static String goFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return String.format("%f", v);
    }

    /** Milvus's typeutil.VerifyFloat wording for NaN and infinities. */
    public static MilvusException notANumber(double v) {
        return invalid("value '" + goFloat(v) + "' is not a number or infinity");
    }
}
