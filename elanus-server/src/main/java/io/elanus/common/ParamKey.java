package io.elanus.common;

/**
 * A configuration key, named as in Milvus's {@code milvus.yaml}, with its default and type.
 * The environment variable that overrides it is the key upper-cased with dots turned into
 * underscores, as Milvus does ({@code proxy.port} -> {@code PROXY_PORT}).
 */
public record ParamKey(String key, Kind kind, String defaultValue, String doc) {
    /** FRACTION: a number in (0, 1], like Milvus's memory water levels. */
    public enum Kind { INT, LONG, STRING, BOOL, FRACTION }

    public String envName() {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    /** Checks that {@code value} parses as this key's type; returns an error text naming the key, or null. */
    String check(String value) {
        try {
            switch (kind) {
                case INT -> Integer.parseInt(value.trim());
                case LONG -> Long.parseLong(value.trim());
                case BOOL -> {
                    if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException(value);
                    }
                }
                case FRACTION -> {
                    double d = Double.parseDouble(value.trim());
                    if (!(d > 0 && d <= 1)) {
                        throw new IllegalArgumentException(value);
                    }
                }
                case STRING -> {
                }
            }
            return null;
        } catch (RuntimeException e) {
            String expected = kind == Kind.FRACTION ? "a number in (0, 1]" : kind.name().toLowerCase(java.util.Locale.ROOT);
            return "invalid value '" + value + "' for " + key + " (expected " + expected + ")";
        }
    }
}
