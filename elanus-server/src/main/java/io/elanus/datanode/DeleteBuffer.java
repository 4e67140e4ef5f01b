package io.elanus.datanode;

import io.milvus.grpc.IDs;

import java.util.ArrayList;
import java.util.List;

/** Deletes of one vchannel not yet written to a delete log, with the WAL offset of the first. */
final class DeleteBuffer {
    final List<Long> intKeys = new ArrayList<>();
    final List<String> stringKeys = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();
    long firstOffset = -1;

    void add(IDs keys, long ts, long offset) {
        if (firstOffset < 0) {
            firstOffset = offset;
        }
        if (keys.hasIntId()) {
            for (long k : keys.getIntId().getDataList()) {
                intKeys.add(k);
                timestamps.add(ts);
            }
        } else {
            for (String k : keys.getStrId().getDataList()) {
                stringKeys.add(k);
                timestamps.add(ts);
            }
        }
    }

    boolean isEmpty() {
        return timestamps.isEmpty();
    }

    void clear() {
        intKeys.clear();
        stringKeys.clear();
        timestamps.clear();
        firstOffset = -1;
    }
}
