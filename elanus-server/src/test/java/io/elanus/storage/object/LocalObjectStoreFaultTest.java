package io.elanus.storage.object;

import io.elanus.storage.StorageFaultException;
import io.elanus.storage.file.FaultyChannels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deleted object store root refuses every write from then on, and health reports it once. */
class LocalObjectStoreFaultTest {

    @TempDir
    Path dir;

    @Test
    void deletedRootRefusesWritesAndIsNotMadeAgain() throws Exception {
        Path root = dir.resolve("objects");
        LocalObjectStore store = new LocalObjectStore(root);
        store.put("a/b", "v".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), store.activeFaults());

        FaultyChannels.deleteTree(root);
        StorageFaultException e = assertThrows(StorageFaultException.class,
                () -> store.put("a/c", "w".getBytes(StandardCharsets.UTF_8)));
        assertEquals(StorageFaultException.Kind.DATA_DELETED, e.kind());
        assertFalse(Files.exists(root), "the root is not silently made again");
        assertEquals(1, store.activeFaults().size(), store.activeFaults().toString());
        assertTrue(store.activeFaults().getFirst().contains("data directory deleted"));

        Files.createDirectories(root.resolve(".staging"));
        assertThrows(StorageFaultException.class, () -> store.put("a/d", "x".getBytes(StandardCharsets.UTF_8)));
    }
}
