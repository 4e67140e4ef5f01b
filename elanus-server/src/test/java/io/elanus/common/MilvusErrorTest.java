package io.elanus.common;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error kinds are a wire contract: SDKs branch on {@code Status.code}, so a code must stand for one kind only
 * and must be the one Milvus uses (Milvus reused 2200 once; that must not happen here).
 */
class MilvusErrorTest {

    @Test
    void everyCodeStandsForOneKind() {
        Map<Integer, MilvusError> byCode = new HashMap<>();
        Map<Integer, MilvusError> byWireCode = new HashMap<>();
        for (MilvusError kind : MilvusError.values()) {
            assertNull(byCode.put(kind.code, kind), () -> "code " + kind.code + " is used twice: " + byCode.get(kind.code) + ", " + kind);
            assertNull(byWireCode.put(kind.wireCode(), kind), () -> "wire code " + kind.wireCode() + " is used twice");
        }
    }

    @Test
    void everyMessageStandsForOneKind() {
        Map<String, MilvusError> byMessage = new HashMap<>();
        for (MilvusError kind : MilvusError.values()) {
            assertFalse(kind.message.isBlank(), kind.name());
            assertEquals(kind.message.strip(), kind.message, kind.name());
            assertNull(byMessage.put(kind.message, kind), () -> "message \"" + kind.message + "\" is used twice");
        }
    }

    /** Codes and retriable flags as Milvus's merr package defines them (the base messages may be Milvus's older ones). */
    @Test
    void codesAndRetriableFlagsAreMilvuss() {
        Map<MilvusError, Integer> milvus = Map.ofEntries(
                Map.entry(MilvusError.SERVICE_NOT_READY, 1), Map.entry(MilvusError.SERVICE_UNAVAILABLE, 2),
                Map.entry(MilvusError.SERVICE_MEMORY_LIMIT_EXCEEDED, 3), Map.entry(MilvusError.SERVICE_TOO_MANY_REQUESTS, 4),
                Map.entry(MilvusError.SERVICE_INTERNAL, 5), Map.entry(MilvusError.SERVICE_DISK_LIMIT_EXCEEDED, 7),
                Map.entry(MilvusError.SERVICE_RATE_LIMIT, 8), Map.entry(MilvusError.SERVICE_QUOTA_EXCEEDED, 9),
                Map.entry(MilvusError.SERVICE_UNIMPLEMENTED, 10), Map.entry(MilvusError.COLLECTION_NOT_FOUND, 100),
                Map.entry(MilvusError.COLLECTION_NOT_LOADED, 101), Map.entry(MilvusError.COLLECTION_NUM_LIMIT_EXCEEDED, 102),
                Map.entry(MilvusError.COLLECTION_NOT_FULLY_LOADED, 103), Map.entry(MilvusError.PARTITION_NOT_FOUND, 200),
                Map.entry(MilvusError.PARTITION_NOT_LOADED, 201), Map.entry(MilvusError.CHANNEL_NOT_FOUND, 500),
                Map.entry(MilvusError.CHANNEL_NOT_AVAILABLE, 503), Map.entry(MilvusError.SEGMENT_NOT_FOUND, 600),
                Map.entry(MilvusError.INDEX_NOT_FOUND, 700), Map.entry(MilvusError.INDEX_NOT_SUPPORTED, 701),
                Map.entry(MilvusError.INDEX_DUPLICATE, 702), Map.entry(MilvusError.DATABASE_NOT_FOUND, 800),
                Map.entry(MilvusError.DATABASE_NUM_LIMIT_EXCEEDED, 801), Map.entry(MilvusError.DATABASE_INVALID_NAME, 802),
                Map.entry(MilvusError.IO_KEY_NOT_FOUND, 1000), Map.entry(MilvusError.IO_FAILED, 1001),
                Map.entry(MilvusError.PARAMETER_INVALID, 1100), Map.entry(MilvusError.ALIAS_NOT_FOUND, 1600),
                Map.entry(MilvusError.ALIAS_COLLECTION_NAME_CONFLICT, 1601), Map.entry(MilvusError.ALIAS_ALREADY_EXIST, 1602),
                Map.entry(MilvusError.FIELD_NOT_FOUND, 1700), Map.entry(MilvusError.FIELD_INVALID_NAME, 1701),
                Map.entry(MilvusError.TIMEOUT, 10001));
        assertEquals(Set.of(MilvusError.values()), milvus.keySet(), "a new kind needs its Milvus code pinned here");
        milvus.forEach((kind, code) -> assertEquals(code, kind.code, kind.name()));
        Set<MilvusError> retriable = Arrays.stream(MilvusError.values()).filter(k -> k.retriable).collect(Collectors.toSet());
        assertEquals(Set.of(MilvusError.SERVICE_NOT_READY, MilvusError.SERVICE_UNAVAILABLE, MilvusError.SERVICE_TOO_MANY_REQUESTS,
                MilvusError.SERVICE_RATE_LIMIT, MilvusError.COLLECTION_NOT_FULLY_LOADED, MilvusError.TIMEOUT), retriable);
    }

    /** Milvus marks a retriable error by bit 20 of the code; readers strip it to find the kind. */
    @Test
    void theWireCodeCarriesTheRetriableBitOnly() {
        for (MilvusError kind : MilvusError.values()) {
            assertEquals(kind.code, kind.wireCode() & ~(1 << 20), kind.name());
            assertEquals(kind.retriable, (kind.wireCode() & 1 << 20) != 0, kind.name());
            assertTrue(kind.code > 0 && kind.code < 1 << 16, kind.name());
        }
    }

    /** Milvus numbers its errors by family (collection 1xx, partition 2xx, ...); a kind's name starts with its family. */
    @Test
    void namesStartWithTheFamilyOfTheirCode() {
        Map<String, int[]> families = Map.of("SERVICE", new int[]{1, 99}, "COLLECTION", new int[]{100, 199},
                "PARTITION", new int[]{200, 249}, "CHANNEL", new int[]{500, 599}, "SEGMENT", new int[]{600, 699},
                "INDEX", new int[]{700, 799}, "DATABASE", new int[]{800, 899}, "IO", new int[]{1000, 1099},
                "PARAMETER", new int[]{1100, 1199}, "ALIAS", new int[]{1600, 1699});
        Map<String, int[]> more = Map.of("FIELD", new int[]{1700, 1799}, "TIMEOUT", new int[]{10001, 10001});
        for (MilvusError kind : MilvusError.values()) {
            String family = kind.name().split("_")[0];
            int[] range = families.getOrDefault(family, more.get(family));
            assertTrue(range != null && kind.code >= range[0] && kind.code <= range[1],
                    () -> kind.name() + " (" + kind.code + ") is not in its family's range");
        }
    }
}
