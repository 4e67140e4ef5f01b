package io.elanus.datanode;

import io.milvus.grpc.IDs;

import java.util.ArrayList;
import java.util.List;

/** Deletes of one vchannel not yet written to a delete log (every flush writes all of them). */
final class DeleteBuffer {
    final List<Long> intKeys = new ArrayList<>();
    final List<String> stringKeys = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();

    void add(IDs keys, long ts) {
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
    }
}
