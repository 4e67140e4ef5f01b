package io.elanus.expr;

import java.math.BigInteger;

/** Decoding of integer, float and string literal tokens. */
final class Literals {
    private Literals() {
    }

    /** Decimal, octal ({@code 017}), hex ({@code 0x1F}) or binary ({@code 0b101}); must fit an int64. */
    static long integer(String text) {
        String digits = text;
        int radix = 10;
        if (text.length() > 1 && text.charAt(0) == '0') {
            char p = Character.toLowerCase(text.charAt(1));
            if (p == 'x') {
                radix = 16;
                digits = text.substring(2);
            } else if (p == 'b') {
                radix = 2;
                digits = text.substring(2);
            } else {
                radix = 8;
                digits = text.substring(1);
            }
        }
        BigInteger v = new BigInteger(digits, radix);
        if (v.bitLength() > 63) {
            throw new CompileError("integer literal " + text + " is out of the int64 range");
        }
        return v.longValue();
    }

    /** Decimal or hexadecimal ({@code 0x1.8p3}) floating-point literal. */
    static double floating(String text) {
        try {
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw new CompileError("float literal " + text + " is out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CompileError("invalid float literal " + text);
        }
    }

    /** Strips the quotes and decodes C-style escapes. */
    static String string(String token) {
        String body = token.substring(1, token.length() - 1);
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = body.charAt(i++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000B');
                case 'x' -> {
                    int start = i;
                    while (i < body.length() && Character.digit(body.charAt(i), 16) >= 0) {
                        i++;
                    }
                    out.appendCodePoint(codePoint(body.substring(start, i), 16));
                }
                case 'u' -> {
                    out.appendCodePoint(codePoint(body.substring(i, i + 4), 16));
                    i += 4;
                }
                case 'U' -> {
                    out.appendCodePoint(codePoint(body.substring(i, i + 8), 16));
                    i += 8;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int start = i - 1;
                        while (i < body.length() && i - start < 3 && body.charAt(i) >= '0' && body.charAt(i) <= '7') {
                            i++;
                        }
                        out.appendCodePoint(codePoint(body.substring(start, i), 8));
                    } else {
                        // \\ \' \" \? stand for the character itself
                        out.append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int codePoint(String digits, int radix) {
        BigInteger v = new BigInteger(digits, radix);
        if (v.bitLength() > 21 || !Character.isValidCodePoint(v.intValue())) {
            throw new CompileError("invalid escape \\" + digits + " in string literal");
        }
        return v.intValue();
    }
}
