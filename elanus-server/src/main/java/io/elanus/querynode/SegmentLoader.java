package io.elanus.querynode;

import io.elanus.proto.FieldBinlog;
import io.elanus.proto.SegmentMeta;
import io.elanus.segment.BinlogFormat;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.CorruptBinlogException;
import io.elanus.segment.LongColumn;
import io.elanus.storage.object.ObjectStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads flushed segments and delete logs back from the object store. A corrupt file fails the load, it is never served. */
final class SegmentLoader {
    /** Milvus's field id of the hidden per-row timestamp. */
    static final long TIMESTAMP_FIELD_ID = 1;

    private final ObjectStore objects;

    SegmentLoader(ObjectStore objects) {
        this.objects = objects;
    }

    Chunk loadChunk(SegmentMeta segment) {
        Map<Long, Column> columns = new HashMap<>();
        long[] timestamps = new long[0];
        for (FieldBinlog b : segment.getBinlogsList()) {
            Column c = decode(b.getPath());
            if (b.getFieldId() == TIMESTAMP_FIELD_ID) {
                timestamps = ((LongColumn) c).values();
            } else {
                columns.put(b.getFieldId(), c);
            }
        }
        return new Chunk(timestamps.length, timestamps, columns);
    }

    /** The (primary key, delete timestamp) pairs of an L0 segment. */
    DeleteLog loadDeletes(SegmentMeta l0) {
        List<String> paths = l0.getDeltalogsList();
        Column keys = decode(paths.get(0));
        long[] ts = ((LongColumn) decode(paths.get(1))).values();
        return new DeleteLog(keys, ts);
    }

    private Column decode(String path) {
        byte[] bytes = objects.get(path).orElseThrow(() -> new IllegalStateException("missing segment file " + path));
        try {
            return BinlogFormat.read(bytes);
        } catch (CorruptBinlogException e) {
            throw new IllegalStateException("corrupt segment file " + path + ": " + e.getMessage(), e);
        }
    }

    record DeleteLog(Column keys, long[] timestamps) {
    }
}
