package io.elanus.storage.object;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every {@link ObjectStore} must meet; subclasses say how to open one. */
public abstract class ObjectStoreConformanceTest {

    @TempDir
    protected Path dir;
    protected ObjectStore store;

    /** Opens a store over {@code dir}; opening the same dir again must see the same objects. */
    protected abstract ObjectStore open(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> keys(String prefix) {
        return store.list(prefix).stream().map(ObjectInfo::key).toList();
    }

    @Test
    void putGetOverwriteDelete() {
        assertTrue(store.get("files/1").isEmpty());
        assertFalse(store.exists("files/1"));
        store.put("files/1", bytes("one"));
        assertArrayEquals(bytes("one"), store.get("files/1").orElseThrow());
        assertTrue(store.exists("files/1"));
        store.put("files/1", bytes("uno, longer"));
        assertArrayEquals(bytes("uno, longer"), store.get("files/1").orElseThrow());
        store.put("files/empty", new byte[0]);
        assertArrayEquals(new byte[0], store.get("files/empty").orElseThrow());
        store.delete("files/1");
        assertTrue(store.get("files/1").isEmpty());
        store.delete("files/1");
        store.delete("never/existed");
        assertEquals(List.of("files/empty"), keys("files/"));
    }

    @Test
    void rangeReads() {
        store.put("r/obj", bytes("0123456789"));
        assertArrayEquals(bytes("345"), store.getRange("r/obj", 3, 3));
        assertArrayEquals(bytes("0123456789"), store.getRange("r/obj", 0, 10));
        assertArrayEquals(bytes("89"), store.getRange("r/obj", 8, 100));
        assertArrayEquals(new byte[0], store.getRange("r/obj", 10, 5));
        assertArrayEquals(new byte[0], store.getRange("r/obj", 50, 5));
        assertThrows(ObjectNotFoundException.class, () -> store.getRange("r/missing", 0, 1));
    }

    @Test
    void listIsRecursiveSortedAndRespectsPartialSegments() {
        for (String key : List.of("a/bc/1", "b/1", "a/b/2/x", "a/b1", "a/b/1")) {
            store.put(key, bytes(key));
        }
        assertEquals(List.of("a/b/1", "a/b/2/x"), keys("a/b/"));
        assertEquals(List.of("a/b/1", "a/b/2/x", "a/b1", "a/bc/1"), keys("a/b"));
        assertEquals(List.of("a/b/1", "a/b/2/x", "a/b1", "a/bc/1", "b/1"), keys(""));
        assertEquals(List.of(), keys("c/"));
        assertEquals(List.of(), keys("a/b/2/x/y"));
        assertEquals(7, store.list("a/b/2/").getFirst().size());
    }

    @Test
    void deletePrefixRemovesOnlyMatchingObjects() {
        for (String key : List.of("seg/1/a", "seg/1/b/c", "seg/10/a", "seg/2")) {
            store.put(key, bytes(key));
        }
        store.deletePrefix("seg/1/");
        assertEquals(List.of("seg/10/a", "seg/2"), keys("seg/"));
        store.put("seg/1/a", bytes("again"));
        assertArrayEquals(bytes("again"), store.get("seg/1/a").orElseThrow());
        store.deletePrefix("seg/");
        assertEquals(List.of(), keys(""));
    }

    @Test
    void rejectsUnsafeKeys() {
        for (String key : List.of("", "/abs", "../escape", "a/../../b", "a//b", "a/./b", "dir/")) {
            assertThrows(IllegalArgumentException.class, () -> store.put(key, bytes("x")), key);
        }
    }

    @Test
    void readersSeeOldOrWholeNewObject() throws Exception {
        byte[] first = new byte[200_000];
        byte[] second = new byte[300_000];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        store.put("atomic/obj", first);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                byte[] seen = store.get("atomic/obj").orElse(null);
                if (seen == null || !(Arrays.equals(seen, first) || Arrays.equals(seen, second))) {
                    torn.set(seen == null ? "missing" : "torn object of " + seen.length + " bytes");
                }
            }
        });
        for (int i = 0; i < 40; i++) {
            store.put("atomic/obj", i % 2 == 0 ? second : first);
        }
        done.set(true);
        reader.join();
        assertNull(torn.get());
    }

    @Test
    void objectsSurviveReopen() throws Exception {
        store.put("keep/1", bytes("kept"));
        store.put("keep/2", bytes("gone"));
        store.delete("keep/2");
        store.close();
        store = open(dir);
        assertArrayEquals(bytes("kept"), store.get("keep/1").orElseThrow());
        assertEquals(List.of("keep/1"), keys("keep/"));
    }
}
