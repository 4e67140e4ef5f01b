package io.elanus.rpc.querynode;

import io.elanus.api.FilterText;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import com.google.protobuf.ByteString;
import io.elanus.proto.DenseByteQueries;
import io.elanus.proto.DenseFloatQueries;
import io.elanus.proto.FilterSource;
import io.elanus.proto.QueryVectorBatch;
import io.elanus.proto.ShardQueryRequest;
import io.elanus.proto.ShardSearchRequest;
import io.elanus.proto.SparseFloatQueries;
import io.elanus.segment.SparseRows;
import io.elanus.vector.ByteQueries;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.MetricType;
import io.elanus.vector.QueryVectors;
import io.elanus.vector.SparseQueries;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * {@link SearchSpec} and {@link QuerySpec} on the wire, both ways without loss: a filter travels as
 * its text and template values (the query node compiles it), query vectors as little-endian bytes.
 */
final class ShardRequests {
    private ShardRequests() {
    }

    static ShardSearchRequest toRequest(String vchannel, SearchSpec spec, long timeoutMs) {
        ShardSearchRequest.Builder b = ShardSearchRequest.newBuilder().setVchannel(vchannel)
                .setAnnsFieldId(spec.annsFieldId()).setMetricType(spec.metric().name()).setQueries(toBatch(spec.queries()))
                .setTopK(spec.topK()).addAllPartitionIds(spec.partitionIds()).putAllParams(spec.params())
                .setIgnoreGrowing(spec.ignoreGrowing()).setGuaranteeTs(spec.guaranteeTs())
                .addAllOutputFieldIds(spec.outputFieldIds()).setTimeoutMs(timeoutMs);
        if (spec.filter() != null) {
            b.setFilter(source(spec.filter()));
        }
        return b.build();
    }

    static SearchSpec toSpec(ShardSearchRequest req) {
        return new SearchSpec(req.getAnnsFieldId(), MetricType.parse(req.getMetricType()), fromBatch(req.getQueries()),
                req.getTopK(), req.hasFilter() ? filter(req.getFilter()) : null, Set.copyOf(req.getPartitionIdsList()),
                req.getParamsMap(), req.getIgnoreGrowing(), req.getGuaranteeTs(), Set.copyOf(req.getOutputFieldIdsList()));
    }

    static ShardQueryRequest toRequest(String vchannel, QuerySpec spec, long timeoutMs) {
        ShardQueryRequest.Builder b = ShardQueryRequest.newBuilder().setVchannel(vchannel)
                .addAllPartitionIds(spec.partitionIds()).setLimit(spec.limit()).setGuaranteeTs(spec.guaranteeTs())
                .addAllOutputFieldIds(spec.outputFieldIds()).setTimeoutMs(timeoutMs);
        if (spec.filter() != null) {
            b.setFilter(source(spec.filter()));
        }
        return b.build();
    }

    static QuerySpec toSpec(ShardQueryRequest req) {
        return new QuerySpec(req.hasFilter() ? filter(req.getFilter()) : null, Set.copyOf(req.getPartitionIdsList()),
                req.getLimit(), req.getGuaranteeTs(), Set.copyOf(req.getOutputFieldIdsList()));
    }

    private static FilterSource source(FilterText filter) {
        return FilterSource.newBuilder().setExpression(filter.expression()).putAllTemplateValues(filter.templateValues()).build();
    }

    private static FilterText filter(FilterSource source) {
        return new FilterText(source.getExpression(), source.getTemplateValuesMap());
    }

    static QueryVectorBatch toBatch(QueryVectors queries) {
        QueryVectorBatch.Builder b = QueryVectorBatch.newBuilder();
        switch (queries) {
            case FloatQueries f -> {
                DenseFloatQueries.Builder d = DenseFloatQueries.newBuilder().setDim(f.dim());
                for (float[] v : f.vectors()) {
                    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(v);
                    d.addVectors(ByteString.copyFrom(buf.array()));
                }
                b.setDenseFloat(d);
            }
            case ByteQueries q -> {
                DenseByteQueries.Builder d = DenseByteQueries.newBuilder().setDim(q.dim());
                for (byte[] v : q.vectors()) {
                    d.addVectors(ByteString.copyFrom(v));
                }
                b.setDenseByte(d);
            }
            case SparseQueries s -> {
                SparseFloatQueries.Builder d = SparseFloatQueries.newBuilder();
                for (int i = 0; i < s.count(); i++) {
                    d.addRows(SparseRows.encode(s.indices()[i], s.values()[i]));
                }
                b.setSparseFloat(d);
            }
        }
        return b.build();
    }

    static QueryVectors fromBatch(QueryVectorBatch batch) {
        return switch (batch.getKindCase()) {
            case DENSE_FLOAT -> {
                DenseFloatQueries d = batch.getDenseFloat();
                float[][] vectors = new float[d.getVectorsCount()][];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = new float[d.getVectors(i).size() / Float.BYTES];
                    d.getVectors(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vectors[i]);
                }
                yield new FloatQueries(d.getDim(), vectors);
            }
            case DENSE_BYTE -> {
                DenseByteQueries d = batch.getDenseByte();
                byte[][] vectors = new byte[d.getVectorsCount()][];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = d.getVectors(i).toByteArray();
                }
                yield new ByteQueries(d.getDim(), vectors);
            }
            case SPARSE_FLOAT -> {
                SparseFloatQueries d = batch.getSparseFloat();
                int[][] indices = new int[d.getRowsCount()][];
                float[][] values = new float[d.getRowsCount()][];
                for (int i = 0; i < d.getRowsCount(); i++) {
                    SparseRows.parse(d.getRows(i), indices, values, i);
                }
                yield new SparseQueries(indices, values);
            }
            case KIND_NOT_SET -> throw new IllegalArgumentException("search request without query vectors");
        };
    }
}
