package io.elanus.storage.kv;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Event history and live watches. Mutations are staged in revision order when applied and
 * published once durable, so watchers never see a change that a crash could undo.
 */
final class WatchHub {

    private record Staged(long revision, List<KvEvent> events) {
    }

    private final int maxHistoryEvents;
    private final ArrayDeque<KvEvent> history = new ArrayDeque<>();
    private final ArrayDeque<Staged> staged = new ArrayDeque<>();
    private final List<PrefixWatch> watches = new ArrayList<>();
    /** Every revision from this one on is fully in {@link #history} (or staged). */
    private long historyStart;

    WatchHub(int maxHistoryEvents, long historyStart) {
        this.maxHistoryEvents = maxHistoryEvents;
        this.historyStart = historyStart;
    }

    /** Events replayed from the log on open: already durable. */
    synchronized void restore(List<KvEvent> events) {
        addToHistory(events);
    }

    /** Called under the store's write lock, in revision order. */
    synchronized void stage(long revision, List<KvEvent> events) {
        staged.add(new Staged(revision, events));
    }

    /** Drops staged revisions above {@code revision}: their mutations were cut from the log, never published. */
    synchronized void discardAbove(long revision) {
        staged.removeIf(s -> s.revision() > revision);
    }

    synchronized void publishUpTo(long durableRevision) {
        while (!staged.isEmpty() && staged.peek().revision() <= durableRevision) {
            List<KvEvent> events = staged.poll().events();
            addToHistory(events);
            for (PrefixWatch watch : watches) {
                for (KvEvent event : events) {
                    if (watch.matches(event)) {
                        watch.offer(event);
                    }
                }
            }
        }
    }

    private void addToHistory(List<KvEvent> events) {
        history.addAll(events);
        while (history.size() > maxHistoryEvents) {
            long evicted = history.poll().entry().modRevision();
            historyStart = evicted + 1;
            // Drop the rest of that revision too: history holds whole revisions only.
            while (!history.isEmpty() && history.peek().entry().modRevision() == evicted) {
                history.poll();
            }
        }
    }

    synchronized PrefixWatch register(String prefix, long afterRevision, KvWatchListener listener) {
        if (afterRevision + 1 < historyStart) {
            throw new HistoryCompactedException(afterRevision, historyStart);
        }
        PrefixWatch watch = new PrefixWatch(prefix, afterRevision, listener, this::unregister);
        for (KvEvent event : history) {
            if (watch.matches(event)) {
                watch.offer(event);
            }
        }
        watches.add(watch);
        watch.start();
        return watch;
    }

    private synchronized void unregister(PrefixWatch watch) {
        watches.remove(watch);
    }

    void closeAll() {
        List<PrefixWatch> all;
        synchronized (this) {
            all = List.copyOf(watches);
        }
        for (PrefixWatch watch : all) {
            watch.close();
        }
    }
}
