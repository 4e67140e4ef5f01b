package io.elanus.storage.object;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalObjectStoreTest extends ObjectStoreConformanceTest {

    @Override
    protected ObjectStore open(Path dir) {
        return new LocalObjectStore(dir);
    }

    @Test
    void objectsAreFilesAtTheirKeyPath() throws Exception {
        store.put("x/y/z.bin", bytes("data"));
        assertEquals("data", Files.readString(dir.resolve("x/y/z.bin")));
    }

    @Test
    void deletesPruneEmptyDirectories() {
        store.put("p/q/r/1", bytes("1"));
        store.put("p/s", bytes("2"));
        store.delete("p/q/r/1");
        assertFalse(Files.exists(dir.resolve("p/q")));
        assertTrue(Files.exists(dir.resolve("p/s")));
        store.deletePrefix("p");
        assertFalse(Files.exists(dir.resolve("p")));
    }

    @Test
    void stagingLeftoversAreClearedAndNeverListed() throws Exception {
        store.put("k", bytes("v"));
        Files.writeString(dir.resolve(".staging/half-written"), "partial");
        store.close();
        store = open(dir);
        assertEquals(List.of("k"), store.list("").stream().map(ObjectInfo::key).toList());
        assertFalse(Files.exists(dir.resolve(".staging/half-written")));
        assertThrows(IllegalArgumentException.class, () -> store.put(".staging/x", bytes("v")));
    }

    @Test
    void aKeyCannotAlsoBeADirectoryOfKeys() {
        store.put("dir/file", bytes("v"));
        assertThrows(UncheckedIOException.class, () -> store.put("dir/file/child", bytes("v")));
        assertTrue(store.get("dir").isEmpty());
    }
}
