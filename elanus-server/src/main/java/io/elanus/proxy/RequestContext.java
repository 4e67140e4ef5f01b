package io.elanus.proxy;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Per-request values the Milvus SDKs send as gRPC headers: {@code dbname} (set by use_database /
 * ConnectConfig.dbName). A database named in the request body wins over the header.
 */
final class RequestContext implements ServerInterceptor {
    static final String DEFAULT_DB = "default";
    private static final Metadata.Key<String> DB_HEADER = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> DB = Context.key("elanus-dbname");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String db = headers.get(DB_HEADER);
        Context ctx = Context.current().withValue(DB, db == null || db.isBlank() ? DEFAULT_DB : db);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    static String database(String fromRequest) {
        if (fromRequest != null && !fromRequest.isEmpty()) {
            return fromRequest;
        }
        String db = DB.get();
        return db == null ? DEFAULT_DB : db;
    }
}
