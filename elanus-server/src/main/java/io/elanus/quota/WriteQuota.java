package io.elanus.quota;

import io.milvus.grpc.QuotaState;

import java.util.List;

/** The proxy's view of the quota center: may a write go ahead, and what CheckHealth should report. */
public interface WriteQuota {
    /** No quota (cluster roles, tests): every write goes ahead. */
    WriteQuota NONE = new WriteQuota() {
        @Override
        public void checkWrite() {
        }

        @Override
        public List<QuotaState> quotaStates() {
            return List.of();
        }

        @Override
        public List<String> quotaReasons() {
            return List.of();
        }
    };

    /**
     * Throws Milvus's quota error when writes (insert, upsert, delete, import) are denied now.
     *
     * @throws io.elanus.common.MilvusException code 9 "quota exceeded[reason=...]"
     */
    void checkWrite();

    /** Milvus's CheckHealth quota_states: DenyToWrite while writes are denied. */
    List<QuotaState> quotaStates();

    /** The reasons that go with {@link #quotaStates()}, one each. */
    List<String> quotaReasons();
}
