package io.elanus.quota;

import io.milvus.grpc.QuotaState;

import java.util.List;

/** The proxy's view of the quota center: may a write go ahead, and what CheckHealth should report. */
public interface WriteQuota {
    /** Milvus's CheckHealth quota_states and their reasons, one reason per state, from one measurement. */
    record Report(List<QuotaState> states, List<String> reasons) {
        public static final Report NONE = new Report(List.of(), List.of());
    }

    /** No quota (cluster roles, tests): every write goes ahead. */
    WriteQuota NONE = new WriteQuota() {
        @Override
        public void checkWrite() {
        }

        @Override
        public Report report() {
            return Report.NONE;
        }
    };

    /**
     * Throws Milvus's quota error when writes (insert, upsert, delete, import) are denied now.
     *
     * @throws io.elanus.common.MilvusException code 9 "quota exceeded[reason=...]"
     */
    void checkWrite();

    /** The quota states now: DenyToWrite with its reason while writes are denied, else none. */
    Report report();
}
