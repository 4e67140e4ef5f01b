package io.elanus.storage.kv;

/** A put named a lease that does not exist (never granted, expired or revoked). */
public class LeaseNotFoundException extends RuntimeException {
    public LeaseNotFoundException(long leaseId) {
        super("lease " + leaseId + " not found (expired or revoked)");
    }
}
