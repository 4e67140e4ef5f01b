package io.elanus.msgstream;

import io.elanus.proto.WalMessage;

import java.util.List;

/**
 * The messages of one vchannel between two time ticks, in timestamp order. After applying it a
 * consumer has seen everything with a timestamp up to {@code tickTs} (its tsafe), and may resume
 * from {@code nextOffset}.
 */
public record TickBatch(long tickTs, List<Entry> messages, long nextOffset) {
    public record Entry(WalMessage message, long offset) {
    }
}
