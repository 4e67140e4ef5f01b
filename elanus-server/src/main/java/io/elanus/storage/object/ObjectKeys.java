package io.elanus.storage.object;

/**
 * The key rules every {@link ObjectStore} enforces, so that an object written to one backend can be
 * written to any other: non-empty '/'-separated segments, no leading or trailing '/', no '.' or
 * '..' segment, no backslash or NUL.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static void check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("invalid object key: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0
                    || segment.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid object key: " + key);
            }
        }
    }

    /** A list prefix: empty, or a key, optionally followed by '/' and the start of a last segment. */
    public static void checkPrefix(String prefix) {
        int slash = prefix.lastIndexOf('/');
        if (slash >= 0) {
            check(prefix.substring(0, slash));
        }
    }
}
