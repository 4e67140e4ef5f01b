package io.elanus.segment;

/** A binlog file failed its checksum or does not parse: it must not be served. */
public final class CorruptBinlogException extends Exception {
    public CorruptBinlogException(String message) {
        super(message);
    }

    public CorruptBinlogException(String message, Throwable cause) {
        super(message, cause);
    }
}
