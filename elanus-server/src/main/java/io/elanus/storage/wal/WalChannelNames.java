package io.elanus.storage.wal;

import java.util.regex.Pattern;

/** The channel names every {@link Wal} accepts: they must be usable as a directory or Kafka topic name. */
public final class WalChannelNames {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]+");

    private WalChannelNames() {
    }

    /** Non-empty, only {@code [A-Za-z0-9_.-]}, and neither {@code .} nor {@code ..}. */
    public static boolean isValid(String name) {
        return ALLOWED.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
