package io.elanus.proxy;

import io.elanus.proto.WalMessage;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.WalPosition;
import io.elanus.storage.wal.WalReader;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A channel whose appends fail never keeps the other channels from their ticks, nor their Strong reads. */
class TimeTickSenderTest {

    /** Records the ticks of each channel; appends to {@code broken} fail like a full disk. */
    private static final class RecordingWal implements Wal {
        final Map<String, List<Long>> ticks = new HashMap<>();
        final RuntimeException failure = new UncheckedIOException(new IOException("No space left on device"));
        volatile String broken;

        @Override
        public synchronized WalPosition append(String channel, byte[] payload) {
            if (channel.equals(broken)) {
                throw failure;
            }
            List<Long> list = ticks.computeIfAbsent(channel, c -> new ArrayList<>());
            try {
                list.add(WalMessage.parseFrom(payload).getTimestamp());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            return new WalPosition(channel, list.size() - 1);
        }

        synchronized int ticksOf(String channel) {
            return ticks.getOrDefault(channel, List.of()).size();
        }

        @Override
        public WalReader openReader(String channel, long fromOffset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long endOffset(String channel) {
            return 0;
        }

        @Override
        public void truncateBefore(String channel, long offset) {
        }

        @Override
        public long startOffset(String channel) {
            return 0;
        }

        @Override
        public Set<String> channels() {
            return Set.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFailingChannelLeavesTheOthersTickedAndFailsOnlyItsOwnStrongReads() {
        RecordingWal wal = new RecordingWal();
        wal.broken = "dml_1";
        AtomicLong clock = new AtomicLong(1_000);
        RootCoordClient tso = (RootCoordClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RootCoordClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("allocTimestamp")) {
                        return clock.incrementAndGet();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        TaskScheduler scheduler = new TaskScheduler(tso, 16);
        try (TimeTickSender sender = new TimeTickSender(scheduler,
                TimeTickSender.toWal(wal, () -> Set.of("dml_0", "dml_1", "dml_2"), 7))) {
            sender.tickFor(List.of("dml_0"));
            sender.tickFor(List.of("dml_2"));
            assertEquals(2, wal.ticksOf("dml_0"));
            assertEquals(2, wal.ticksOf("dml_2"));
            RuntimeException e = assertThrows(RuntimeException.class, () -> sender.tickFor(List.of("dml_0", "dml_1")));
            assertSame(wal.failure, e, "a Strong read on the failed channel gets its error at once");
            assertEquals(3, wal.ticksOf("dml_0"), "the healthy channel was still ticked");

            wal.broken = null;
            sender.tickFor(List.of("dml_1"));
            assertEquals(1, wal.ticksOf("dml_1"), "the channel is ticked again once it recovers");
            assertEquals(wal.ticks.get("dml_0").getLast(), wal.ticks.get("dml_1").getLast(), "one tick for all channels");
        }
    }
}
