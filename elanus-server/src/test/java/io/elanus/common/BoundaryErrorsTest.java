package io.elanus.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class BoundaryErrorsTest {

    @Test
    void aMilvusExceptionIsAnsweredAsItIs() {
        MilvusException notFound = MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", "c");
        assertSame(notFound, BoundaryErrors.toMilvus(notFound, "a test"));
    }

    @Test
    void aMilvusExceptionInsideAWrapperIsNotHidden() {
        MilvusException invalid = MilvusException.invalidParameter("ef(5) should be larger than k(10)");
        assertSame(invalid, BoundaryErrors.toMilvus(new CompletionException(invalid), "a test"));
        assertSame(invalid, BoundaryErrors.toMilvus(new IllegalStateException("while loading", invalid), "a test"));
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorInItsOwnWordsWithoutTheJavaClass() {
        MilvusException e = BoundaryErrors.toMilvus(new IllegalStateException("segment 7 has no binlog of field 101"), "a test");
        assertEquals(MilvusError.SERVICE_INTERNAL, e.kind());
        assertEquals("segment 7 has no binlog of field 101: service internal error", e.getMessage());
        assertEquals(5, e.toStatus().getCode());
        assertEquals("segment 7 has no binlog of field 101: service internal error", e.toStatus().getReason());
    }

    @Test
    void aWrapperMadeFromItsCauseAloneIsDescribedByTheCause() {
        // new RuntimeException(cause) takes cause.toString() ("java.io.IOException: ...") as its message
        RuntimeException wrapped = new RuntimeException(new UncheckedIOException(new IOException("disk went away")));
        assertEquals("disk went away: service internal error", BoundaryErrors.toMilvus(wrapped, "a test").getMessage());
    }

    @Test
    void aFailureWithoutAMessageStillGetsAReadableReason() {
        assertEquals("unexpected failure without a message (the server log has its stack trace): service internal error",
                BoundaryErrors.toMilvus(new IllegalStateException(), "a test").getMessage());
        assertEquals("the request nests too deeply to be served (stack overflow): service internal error",
                BoundaryErrors.toMilvus(new StackOverflowError(), "a test").getMessage());
    }
}
