package io.elanus.api;

/** Who else still reads a WAL channel (the query nodes' delegators), so datacoord never truncates under a reader. */
public interface WalReaders {
    /** The smallest WAL offset any reader of the pchannel still needs; {@link Long#MAX_VALUE} if none reads it. */
    long minReaderOffset(String pchannel);
}
