package io.elanus.proxy;

import io.elanus.common.BoundaryErrors;
import io.elanus.common.FailFast;
import io.elanus.common.HealthProbe;
import io.elanus.common.MilvusException;
import io.elanus.quota.WriteQuota;
import io.elanus.api.RootCoordClient;
import io.grpc.stub.StreamObserver;
import io.milvus.grpc.*;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The Milvus gRPC API. Each RPC is routed to the scheduler queue of its kind (DDL strictly
 * ordered, DML with a timestamp, DQL for throughput) and to the handler that does the work. Any
 * failure becomes a Milvus {@link Status} in the RPC's own response type; nothing a client sends
 * can escape as an exception to the transport.
 */
final class MilvusServiceImpl extends MilvusServiceGrpc.MilvusServiceImplBase {
    static final String VERSION = "v2.6.6";

    private final TaskScheduler scheduler;
    private final RootCoordClient rootCoord;
    private final DdlHandler ddl;
    private final DmlHandler dml;
    private final SearchHandler search;
    private final QueryHandler query;
    private final IndexHandler indexes;
    private final LoadFlushHandler loads;
    private final HealthProbe health;
    private final WriteQuota writeQuota;
    private final AtomicLong connections = new AtomicLong();

    MilvusServiceImpl(TaskScheduler scheduler, RootCoordClient rootCoord, DdlHandler ddl, DmlHandler dml,
                      SearchHandler search, QueryHandler query, IndexHandler indexes, LoadFlushHandler loads,
                      HealthProbe health, WriteQuota writeQuota) {
        this.scheduler = scheduler;
        this.rootCoord = rootCoord;
        this.ddl = ddl;
        this.dml = dml;
        this.search = search;
        this.query = query;
        this.indexes = indexes;
        this.loads = loads;
        this.health = health;
        this.writeQuota = writeQuota;
    }

    private static final Status OK = Status.newBuilder().setCode(0).setErrorCode(ErrorCode.Success).build();

    // ------------------------------------------------------------------ plumbing

    private static <T> void reply(StreamObserver<T> out, Supplier<T> body, Function<Status, T> onError) {
        send(out, respond(body, onError));
    }

    /** The body's response, or the Milvus status of its failure in the RPC's response type. */
    private static <T> T respond(Supplier<T> body, Function<Status, T> onError) {
        try {
            return body.get();
        } catch (MilvusException e) {
            return onError.apply(e.toStatus());
        } catch (OutOfMemoryError e) {
            throw FailFast.halt("a request", e);
        } catch (RuntimeException | StackOverflowError e) {
            // A full, read-only or deleted data directory below the request: its own Milvus error, no stack trace.
            // Anything else unexpected is an internal error, logged with its stack trace by the translator.
            MilvusException failure = StorageErrors.toMilvus(e).orElseGet(() -> BoundaryErrors.toMilvus(e, "a request"));
            return onError.apply(failure.toStatus());
        }
    }

    private static <T> void send(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }

    /**
     * Runs the request as a task of a scheduler queue: at once on this thread when the queue has room,
     * else later on the thread that frees it, which then replies. A full queue refuses it at once.
     */
    private static <T> void queued(Consumer<Runnable> queue, StreamObserver<T> out, Supplier<T> body, Function<Status, T> onError) {
        try {
            queue.accept(() -> reply(out, body, onError));
        } catch (MilvusException refused) {
            send(out, onError.apply(refused.toStatus()));
        }
    }

    private void ddlStatus(StreamObserver<Status> out, Runnable body) {
        queued(scheduler::ddl, out, () -> {
            body.run();
            return OK;
        }, s -> s);
    }

    private static String db(String requested) {
        return RequestContext.database(requested);
    }

    // ------------------------------------------------------------------ connection and health

    @Override
    public void connect(ConnectRequest req, StreamObserver<ConnectResponse> out) {
        reply(out, () -> ConnectResponse.newBuilder().setStatus(OK).setIdentifier(connections.incrementAndGet())
                .setServerInfo(ServerInfo.newBuilder().setBuildTags(VERSION).setDeployMode("STANDALONE")
                        .putReserved("server", "elanus")).build(),
                s -> ConnectResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getVersion(GetVersionRequest req, StreamObserver<GetVersionResponse> out) {
        reply(out, () -> GetVersionResponse.newBuilder().setStatus(OK).setVersion(VERSION).build(),
                s -> GetVersionResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void checkHealth(CheckHealthRequest req, StreamObserver<CheckHealthResponse> out) {
        reply(out, () -> {
            List<String> reasons = health.unhealthyReasons();
            if (!reasons.isEmpty()) {
                return CheckHealthResponse.newBuilder().setStatus(OK).setIsHealthy(false).addAllReasons(reasons).build();
            }
            // Like Milvus: healthy while writes are denied for memory, with the quota state and its reason.
            WriteQuota.Report quota = writeQuota.report();
            return CheckHealthResponse.newBuilder().setStatus(OK).setIsHealthy(true)
                    .addAllQuotaStates(quota.states()).addAllReasons(quota.reasons()).build();
        }, s -> CheckHealthResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getComponentStates(GetComponentStatesRequest req, StreamObserver<ComponentStates> out) {
        reply(out, () -> {
            List<ComponentInfo> states = health.componentStates();
            StateCode overall = states.stream().allMatch(c -> c.getStateCode() == StateCode.Healthy) ? StateCode.Healthy : StateCode.Abnormal;
            return ComponentStates.newBuilder().setStatus(OK).setState(ComponentInfo.newBuilder().setRole("standalone")
                    .setStateCode(overall)).addAllSubcomponentStates(states).build();
        }, s -> ComponentStates.newBuilder().setStatus(s).build());
    }

    @Override
    public void allocTimestamp(AllocTimestampRequest req, StreamObserver<AllocTimestampResponse> out) {
        reply(out, () -> AllocTimestampResponse.newBuilder().setStatus(OK).setTimestamp(rootCoord.allocTimestamp()).build(),
                s -> AllocTimestampResponse.newBuilder().setStatus(s).build());
    }

    // ------------------------------------------------------------------ databases

    @Override
    public void createDatabase(CreateDatabaseRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.createDatabase(req.getDbName(), req.getPropertiesList());
        });
    }

    @Override
    public void dropDatabase(DropDatabaseRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.dropDatabase(req.getDbName());
        });
    }

    @Override
    public void listDatabases(ListDatabasesRequest req, StreamObserver<ListDatabasesResponse> out) {
        reply(out, () -> ddl.listDatabases().toBuilder().setStatus(OK).build(),
                s -> ListDatabasesResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void describeDatabase(DescribeDatabaseRequest req, StreamObserver<DescribeDatabaseResponse> out) {
        reply(out, () -> ddl.describeDatabase(db(req.getDbName())).toBuilder().setStatus(OK).build(),
                s -> DescribeDatabaseResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void alterDatabase(AlterDatabaseRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.alterDatabase(db(req.getDbName()), req.getPropertiesList(), req.getDeleteKeysList());
        });
    }

    // ------------------------------------------------------------------ collections

    @Override
    public void createCollection(CreateCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.createCollection(db(req.getDbName()), req);
        });
    }

    @Override
    public void dropCollection(DropCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.dropCollection(db(req.getDbName()), req.getCollectionName());
        });
    }

    @Override
    public void hasCollection(HasCollectionRequest req, StreamObserver<BoolResponse> out) {
        reply(out, () -> {
            rootCoord.describeDatabase(db(req.getDbName()));
            boolean has = rootCoord.findCollection(db(req.getDbName()), req.getCollectionName()).isPresent();
            return BoolResponse.newBuilder().setStatus(OK).setValue(has).build();
        }, s -> BoolResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void describeCollection(DescribeCollectionRequest req, StreamObserver<DescribeCollectionResponse> out) {
        reply(out, () -> ddl.describeCollection(db(req.getDbName()), req.getCollectionName(), req.getCollectionID())
                        .toBuilder().setStatus(OK).build(),
                s -> DescribeCollectionResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void showCollections(ShowCollectionsRequest req, StreamObserver<ShowCollectionsResponse> out) {
        reply(out, () -> ddl.showCollections(db(req.getDbName()), req.getCollectionNamesList(), req.getType())
                        .toBuilder().setStatus(OK).build(),
                s -> ShowCollectionsResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getCollectionStatistics(GetCollectionStatisticsRequest req, StreamObserver<GetCollectionStatisticsResponse> out) {
        reply(out, () -> ddl.collectionStatistics(db(req.getDbName()), req.getCollectionName()).toBuilder().setStatus(OK).build(),
                s -> GetCollectionStatisticsResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void renameCollection(RenameCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.renameCollection(db(req.getDbName()), req.getOldName(), req.getNewDBName(), req.getNewName());
        });
    }

    @Override
    public void alterCollection(AlterCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.alterCollection(db(req.getDbName()), req.getCollectionName(), req.getPropertiesList(), req.getDeleteKeysList());
        });
    }

    // ------------------------------------------------------------------ partitions

    @Override
    public void createPartition(CreatePartitionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.createPartition(db(req.getDbName()), req.getCollectionName(), req.getPartitionName());
        });
    }

    @Override
    public void dropPartition(DropPartitionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.dropPartition(db(req.getDbName()), req.getCollectionName(), req.getPartitionName());
        });
    }

    @Override
    public void hasPartition(HasPartitionRequest req, StreamObserver<BoolResponse> out) {
        reply(out, () -> BoolResponse.newBuilder().setStatus(OK)
                        .setValue(ddl.hasPartition(db(req.getDbName()), req.getCollectionName(), req.getPartitionName())).build(),
                s -> BoolResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void showPartitions(ShowPartitionsRequest req, StreamObserver<ShowPartitionsResponse> out) {
        reply(out, () -> ddl.showPartitions(db(req.getDbName()), req.getCollectionName(), req.getPartitionNamesList())
                        .toBuilder().setStatus(OK).build(),
                s -> ShowPartitionsResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getPartitionStatistics(GetPartitionStatisticsRequest req, StreamObserver<GetPartitionStatisticsResponse> out) {
        reply(out, () -> ddl.partitionStatistics(db(req.getDbName()), req.getCollectionName(), req.getPartitionName())
                        .toBuilder().setStatus(OK).build(),
                s -> GetPartitionStatisticsResponse.newBuilder().setStatus(s).build());
    }

    // ------------------------------------------------------------------ aliases

    @Override
    public void createAlias(CreateAliasRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.createAlias(db(req.getDbName()), req.getAlias(), req.getCollectionName());
        });
    }

    @Override
    public void dropAlias(DropAliasRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.dropAlias(db(req.getDbName()), req.getAlias());
        });
    }

    @Override
    public void alterAlias(AlterAliasRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            ddl.alterAlias(db(req.getDbName()), req.getAlias(), req.getCollectionName());
        });
    }

    @Override
    public void describeAlias(DescribeAliasRequest req, StreamObserver<DescribeAliasResponse> out) {
        reply(out, () -> DescribeAliasResponse.newBuilder().setStatus(OK).setDbName(db(req.getDbName())).setAlias(req.getAlias())
                        .setCollection(rootCoord.describeAlias(db(req.getDbName()), req.getAlias())).build(),
                s -> DescribeAliasResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void listAliases(ListAliasesRequest req, StreamObserver<ListAliasesResponse> out) {
        reply(out, () -> ListAliasesResponse.newBuilder().setStatus(OK).setDbName(db(req.getDbName()))
                        .setCollectionName(req.getCollectionName())
                        .addAllAliases(rootCoord.listAliases(db(req.getDbName()), req.getCollectionName())).build(),
                s -> ListAliasesResponse.newBuilder().setStatus(s).build());
    }

    // ------------------------------------------------------------------ indexes

    @Override
    public void createIndex(CreateIndexRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            indexes.createIndex(db(req.getDbName()), req);
        });
    }

    @Override
    public void describeIndex(DescribeIndexRequest req, StreamObserver<DescribeIndexResponse> out) {
        reply(out, () -> indexes.describeIndex(db(req.getDbName()), req.getCollectionName(), req.getFieldName(), req.getIndexName())
                        .toBuilder().setStatus(OK).build(),
                s -> DescribeIndexResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getIndexState(GetIndexStateRequest req, StreamObserver<GetIndexStateResponse> out) {
        reply(out, () -> {
            DescribeIndexResponse d = indexes.describeIndex(db(req.getDbName()), req.getCollectionName(), req.getFieldName(), req.getIndexName());
            return GetIndexStateResponse.newBuilder().setStatus(OK).setState(d.getIndexDescriptions(0).getState()).build();
        }, s -> GetIndexStateResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getIndexBuildProgress(GetIndexBuildProgressRequest req, StreamObserver<GetIndexBuildProgressResponse> out) {
        reply(out, () -> {
            IndexDescription d = indexes.describeIndex(db(req.getDbName()), req.getCollectionName(), req.getFieldName(), req.getIndexName())
                    .getIndexDescriptions(0);
            return GetIndexBuildProgressResponse.newBuilder().setStatus(OK).setIndexedRows(d.getIndexedRows()).setTotalRows(d.getTotalRows()).build();
        }, s -> GetIndexBuildProgressResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void dropIndex(DropIndexRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            indexes.dropIndex(db(req.getDbName()), req.getCollectionName(), req.getFieldName(), req.getIndexName());
        });
    }

    // ------------------------------------------------------------------ load

    @Override
    public void loadCollection(LoadCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            loads.load(db(req.getDbName()), req.getCollectionName(), List.of(), req.getReplicaNumber());
        });
    }

    @Override
    public void loadPartitions(LoadPartitionsRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            loads.load(db(req.getDbName()), req.getCollectionName(), req.getPartitionNamesList(), req.getReplicaNumber());
        });
    }

    @Override
    public void releaseCollection(ReleaseCollectionRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            loads.releaseCollection(db(req.getDbName()), req.getCollectionName());
        });
    }

    @Override
    public void releasePartitions(ReleasePartitionsRequest req, StreamObserver<Status> out) {
        ddlStatus(out, () -> {
            loads.releasePartitions(db(req.getDbName()), req.getCollectionName(), req.getPartitionNamesList());
        });
    }

    @Override
    public void getLoadState(GetLoadStateRequest req, StreamObserver<GetLoadStateResponse> out) {
        reply(out, () -> GetLoadStateResponse.newBuilder().setStatus(OK)
                        .setState(loads.loadState(db(req.getDbName()), req.getCollectionName(), req.getPartitionNamesList())).build(),
                s -> GetLoadStateResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getLoadingProgress(GetLoadingProgressRequest req, StreamObserver<GetLoadingProgressResponse> out) {
        reply(out, () -> {
            int p = loads.loadingProgress(db(req.getDbName()), req.getCollectionName(), req.getPartitionNamesList());
            return GetLoadingProgressResponse.newBuilder().setStatus(OK).setProgress(p).setRefreshProgress(p).build();
        }, s -> GetLoadingProgressResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getReplicas(GetReplicasRequest req, StreamObserver<GetReplicasResponse> out) {
        reply(out, () -> GetReplicasResponse.newBuilder().setStatus(OK)
                        .addAllReplicas(loads.replicas(db(req.getDbName()), req.getCollectionName(), req.getCollectionID())).build(),
                s -> GetReplicasResponse.newBuilder().setStatus(s).build());
    }

    // ------------------------------------------------------------------ DML

    /**
     * A write: checked against the quota first (Milvus's rate-limit interceptor runs before the request:
     * a write denied by a quota does no work at all) and by {@code admission}, both before it takes a
     * place in the DML queue; then run with its timestamp.
     */
    private void write(StreamObserver<MutationResult> out, Runnable admission, LongFunction<MutationResult> body) {
        Function<Status, MutationResult> onError = s -> MutationResult.newBuilder().setStatus(s).build();
        MutationResult refused = respond(() -> {
            writeQuota.checkWrite();
            admission.run();
            return null;
        }, onError);
        if (refused != null) {
            send(out, refused);
            return;
        }
        queued(scheduler::dml, out, () -> scheduler.timestamped(body).toBuilder().setStatus(OK).build(), onError);
    }

    @Override
    public void insert(InsertRequest req, StreamObserver<MutationResult> out) {
        write(out, () -> { }, ts -> dml.insert(db(req.getDbName()), req, ts));
    }

    @Override
    public void upsert(UpsertRequest req, StreamObserver<MutationResult> out) {
        write(out, () -> { }, ts -> dml.upsert(db(req.getDbName()), req, ts));
    }

    @Override
    public void delete(DeleteRequest req, StreamObserver<MutationResult> out) {
        write(out, () -> query.checkFilterSize(req.getExpr(), req.getExprTemplateValuesMap()),
                ts -> dml.delete(db(req.getDbName()), req, ts));
    }

    @Override
    public void flush(FlushRequest req, StreamObserver<FlushResponse> out) {
        queued(scheduler::ddl, out, () -> loads.flush(db(req.getDbName()), req.getCollectionNamesList()).toBuilder().setStatus(OK).build(),
                s -> FlushResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getFlushState(GetFlushStateRequest req, StreamObserver<GetFlushStateResponse> out) {
        reply(out, () -> GetFlushStateResponse.newBuilder().setStatus(OK).setFlushed(loads.flushState(db(req.getDbName()),
                        req.getCollectionName(), req.getSegmentIDsList(), req.getFlushTs())).build(),
                s -> GetFlushStateResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void flushAll(FlushAllRequest req, StreamObserver<FlushAllResponse> out) {
        reply(out, () -> {
            loads.flushAll();
            return FlushAllResponse.newBuilder().setStatus(OK).setFlushAllTs(rootCoord.allocTimestamp()).build();
        }, s -> FlushAllResponse.newBuilder().setStatus(s).build());
    }

    /** FlushAll returns only once everything is persisted, so its state is always flushed. */
    @Override
    public void getFlushAllState(GetFlushAllStateRequest req, StreamObserver<GetFlushAllStateResponse> out) {
        reply(out, () -> GetFlushAllStateResponse.newBuilder().setStatus(OK).setFlushed(true).build(),
                s -> GetFlushAllStateResponse.newBuilder().setStatus(s).build());
    }

    // ------------------------------------------------------------------ DQL

    @Override
    public void search(SearchRequest req, StreamObserver<SearchResults> out) {
        queued(scheduler::dql, out, () -> search.search(db(req.getDbName()), req).toBuilder().setStatus(OK).build(),
                s -> SearchResults.newBuilder().setStatus(s).build());
    }

    @Override
    public void hybridSearch(HybridSearchRequest req, StreamObserver<SearchResults> out) {
        queued(scheduler::dql, out, () -> search.hybridSearch(db(req.getDbName()), req).toBuilder().setStatus(OK).build(),
                s -> SearchResults.newBuilder().setStatus(s).build());
    }

    @Override
    public void query(QueryRequest req, StreamObserver<QueryResults> out) {
        queued(scheduler::dql, out, () -> query.query(db(req.getDbName()), req).toBuilder().setStatus(OK).build(),
                s -> QueryResults.newBuilder().setStatus(s).build());
    }

    @Override
    public void getPersistentSegmentInfo(GetPersistentSegmentInfoRequest req, StreamObserver<GetPersistentSegmentInfoResponse> out) {
        reply(out, () -> GetPersistentSegmentInfoResponse.newBuilder().setStatus(OK)
                        .addAllInfos(loads.persistentSegments(db(req.getDbName()), req.getCollectionName())).build(),
                s -> GetPersistentSegmentInfoResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getQuerySegmentInfo(GetQuerySegmentInfoRequest req, StreamObserver<GetQuerySegmentInfoResponse> out) {
        reply(out, () -> GetQuerySegmentInfoResponse.newBuilder().setStatus(OK)
                        .addAllInfos(loads.querySegments(db(req.getDbName()), req.getCollectionName())).build(),
                s -> GetQuerySegmentInfoResponse.newBuilder().setStatus(s).build());
    }
}
