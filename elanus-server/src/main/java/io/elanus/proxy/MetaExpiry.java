package io.elanus.proxy;

import io.elanus.api.RootCoordClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends each DDL of this proxy as Milvus's rootcoord ends one with its expire-cache step: once the DDL
 * is over (failed ones too: when in doubt, forget), this proxy's {@link MetaCache} forgets the
 * collection at once, so the same client sees its change on its next request, and every proxy is told
 * through rootcoord (InvalidateCollectionMetaCache) before the client hears back. The word goes out
 * after the coordinators applied the DDL, so no proxy can fetch the state from before it once told.
 */
final class MetaExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(MetaExpiry.class);

    private final MetaCache cache;
    private final RootCoordClient rootCoord;

    MetaExpiry(MetaCache cache, RootCoordClient rootCoord) {
        this.cache = cache;
        this.rootCoord = rootCoord;
    }

    /** After a DDL on the collection named {@code nameOrAlias} (and on {@code collectionId}, when not 0). */
    void collection(String db, String nameOrAlias, long collectionId) {
        cache.invalidateCollection(db, nameOrAlias, collectionId);
        try {
            rootCoord.invalidateCollectionMetaCache(db, nameOrAlias, collectionId);
        } catch (RuntimeException e) {
            // Unreachable rootcoord: the other proxies' event streams broke too, and they forget everything
            // when the streams are re-opened (MetaCache#onCollectionEventsMissed).
            LOG.warn("could not tell the other proxies that collection {} of database {} changed: {}",
                    nameOrAlias, db, e.getMessage());
        }
    }

    /** After a DDL on a database. Other proxies keep nothing of a database but its collections, which outlive no drop. */
    void database(String db) {
        cache.invalidateDatabase(db);
    }
}
