package io.elanus.storage.kv;

/** A watch asked for events older than the store still keeps (etcd's "required revision has been compacted"). */
public class HistoryCompactedException extends RuntimeException {
    public HistoryCompactedException(long afterRevision, long oldestRetained) {
        super("cannot watch after revision " + afterRevision + ": history before revision " + oldestRetained
                + " has been compacted; rescan and watch from the current revision");
    }
}
