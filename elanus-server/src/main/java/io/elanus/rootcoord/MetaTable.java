package io.elanus.rootcoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.AliasInfo;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Databases, collections and aliases: an in-memory view over the meta store. Values are immutable
 * protobuf messages, so readers on any thread see consistent snapshots; every mutation is written
 * to the meta store first and happens under this object's lock (rootcoord's DDL is serialised).
 */
final class MetaTable {
    static final String DB_PREFIX = "root-coord/database/";
    static final String COLLECTION_PREFIX = "root-coord/collection/";
    static final String ALIAS_PREFIX = "root-coord/alias/";

    private final MetaKv kv;
    private final Map<String, DatabaseInfo> databasesByName = new ConcurrentHashMap<>();
    private final Map<Long, CollectionInfo> collections = new ConcurrentHashMap<>();
    /** db id -> alias -> collection id. */
    private final Map<Long, Map<String, Long>> aliases = new ConcurrentHashMap<>();

    MetaTable(MetaKv kv) {
        this.kv = kv;
        try {
            for (KvEntry e : kv.scanPrefix(DB_PREFIX)) {
                DatabaseInfo db = DatabaseInfo.parseFrom(e.value());
                databasesByName.put(db.getName(), db);
            }
            for (KvEntry e : kv.scanPrefix(COLLECTION_PREFIX)) {
                CollectionInfo c = CollectionInfo.parseFrom(e.value());
                collections.put(c.getId(), c);
            }
            for (KvEntry e : kv.scanPrefix(ALIAS_PREFIX)) {
                AliasInfo a = AliasInfo.parseFrom(e.value());
                aliases.computeIfAbsent(a.getDbId(), k -> new ConcurrentHashMap<>()).put(a.getAlias(), a.getCollectionId());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt rootcoord metadata", e);
        }
    }

    // ------------------------------------------------------------------ databases

    Optional<DatabaseInfo> database(String name) {
        return Optional.ofNullable(databasesByName.get(name));
    }

    DatabaseInfo requireDatabase(String name) {
        DatabaseInfo db = databasesByName.get(name);
        if (db == null) {
            throw MilvusException.withKey(MilvusError.DATABASE_NOT_FOUND, "database", name);
        }
        return db;
    }

    List<DatabaseInfo> databases() {
        return databasesByName.values().stream().sorted((a, b) -> Long.compare(a.getCreatedTs(), b.getCreatedTs())).toList();
    }

    synchronized void saveDatabase(DatabaseInfo db) {
        kv.put(DB_PREFIX + db.getId(), db.toByteArray());
        databasesByName.values().removeIf(d -> d.getId() == db.getId());
        databasesByName.put(db.getName(), db);
    }

    synchronized void removeDatabase(DatabaseInfo db) {
        kv.delete(DB_PREFIX + db.getId());
        databasesByName.remove(db.getName());
        aliases.remove(db.getId());
    }

    // ------------------------------------------------------------------ collections

    Optional<CollectionInfo> collection(long id) {
        return Optional.ofNullable(collections.get(id));
    }

    /** Looks a name up as a collection, then as an alias. */
    Optional<CollectionInfo> collectionByName(long dbId, String name) {
        for (CollectionInfo c : collections.values()) {
            if (c.getDbId() == dbId && c.getSchema().getName().equals(name)) {
                return Optional.of(c);
            }
        }
        Long aliased = aliases.getOrDefault(dbId, Map.of()).get(name);
        return aliased == null ? Optional.empty() : collection(aliased);
    }

    boolean collectionNameTaken(long dbId, String name) {
        return collections.values().stream().anyMatch(c -> c.getDbId() == dbId && c.getSchema().getName().equals(name));
    }

    /** The physical DML channels of every collection. */
    Set<String> pchannelsInUse() {
        Set<String> out = new HashSet<>();
        collections.values().forEach(c -> out.addAll(c.getPchannelsList()));
        return out;
    }

    List<CollectionInfo> collections(long dbId) {
        return collections.values().stream().filter(c -> c.getDbId() == dbId)
                .sorted((a, b) -> Long.compare(a.getCreatedTs(), b.getCreatedTs())).toList();
    }

    synchronized void saveCollection(CollectionInfo c) {
        kv.put(COLLECTION_PREFIX + c.getId(), c.toByteArray());
        collections.put(c.getId(), c);
    }

    /** Removes the collection and the aliases pointing at it in one meta-store transaction. */
    synchronized void removeCollection(CollectionInfo c) {
        Set<String> deletes = new java.util.HashSet<>();
        deletes.add(COLLECTION_PREFIX + c.getId());
        Map<String, Long> dbAliases = aliases.getOrDefault(c.getDbId(), Map.of());
        for (Map.Entry<String, Long> a : dbAliases.entrySet()) {
            if (a.getValue() == c.getId()) {
                deletes.add(aliasKey(c.getDbId(), a.getKey()));
            }
        }
        kv.multiSaveAndRemove(Map.of(), deletes);
        collections.remove(c.getId());
        dbAliases.values().removeIf(id -> id == c.getId());
    }

    // ------------------------------------------------------------------ aliases

    Optional<Long> alias(long dbId, String alias) {
        return Optional.ofNullable(aliases.getOrDefault(dbId, Map.of()).get(alias));
    }

    List<String> aliasesOf(long dbId, long collectionId) {
        List<String> out = new ArrayList<>();
        aliases.getOrDefault(dbId, Map.of()).forEach((a, id) -> {
            if (id == collectionId) {
                out.add(a);
            }
        });
        out.sort(String::compareTo);
        return out;
    }

    List<String> aliases(long dbId) {
        return aliases.getOrDefault(dbId, Map.of()).keySet().stream().sorted().toList();
    }

    synchronized void saveAlias(long dbId, String alias, long collectionId) {
        AliasInfo info = AliasInfo.newBuilder().setAlias(alias).setDbId(dbId).setCollectionId(collectionId).build();
        kv.put(aliasKey(dbId, alias), info.toByteArray());
        aliases.computeIfAbsent(dbId, k -> new ConcurrentHashMap<>()).put(alias, collectionId);
    }

    synchronized void removeAlias(long dbId, String alias) {
        kv.delete(aliasKey(dbId, alias));
        aliases.getOrDefault(dbId, Map.of()).remove(alias);
    }

    private static String aliasKey(long dbId, String alias) {
        return ALIAS_PREFIX + dbId + "/" + alias;
    }
}
