package io.elanus.standalone;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.elanus.common.Config;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.milvus.grpc.GetVersionRequest;
import io.milvus.grpc.GetVersionResponse;
import io.milvus.grpc.MilvusServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No request can take the server down: every unary RPC of the Milvus API receives requests with
 * random field values (seeded, fixed by default; the seed is in the failure message), built from the protocol's own
 * descriptors, plus random bytes that are not a valid message at all. Each call must be answered
 * (a Milvus status in the response, or a gRPC error for undecodable bytes or unimplemented RPCs),
 * and the server must still serve afterwards.
 */
class RandomRequestFuzzTest {
    private static final int ROUNDS_PER_METHOD = 15;
    /** Statuses a call may legitimately end with at the transport level. */
    private static final Set<Status.Code> ACCEPTED = Set.of(Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL,
            Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

    @TempDir
    Path dataDir;

    @Test
    void randomRequestsToEveryRpcAreAnsweredAndTheServerKeepsServing() throws Exception {
        // A fixed seed keeps CI reproducible; -Delanus.fuzz.seed=N explores other inputs.
        long seed = Long.getLong("elanus.fuzz.seed", 20_261_124L);
        Random random = new Random(seed);
        Config config = Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0"));
        try (Standalone server = new Standalone(config, dataDir)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                for (var method : MilvusServiceGrpc.getServiceDescriptor().getMethods()) {
                    if (method.getType() != MethodDescriptor.MethodType.UNARY) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    MethodDescriptor<Message, Message> typed = (MethodDescriptor<Message, Message>) method;
                    Message prototype = defaultRequest(typed);
                    for (int round = 0; round < ROUNDS_PER_METHOD; round++) {
                        Message request = RandomMessages.fill(prototype.newBuilderForType(), random, 3).build();
                        call(channel, typed, request, seed);
                    }
                    callWithRawBytes(channel, method, random, seed);
                }
                GetVersionResponse version = ClientCalls.blockingUnaryCall(channel, MilvusServiceGrpc.getGetVersionMethod(),
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GetVersionRequest.getDefaultInstance());
                assertEquals(0, version.getStatus().getCode(), "the server still answers after the fuzzing (seed " + seed + ")");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static final int SERVICE_INTERNAL = 5;

    private static io.milvus.grpc.Status statusOf(Message response) {
        if (response instanceof io.milvus.grpc.Status s) {
            return s;
        }
        FieldDescriptor f = response.getDescriptorForType().findFieldByName("status");
        return f == null ? null : (io.milvus.grpc.Status) response.getField(f);
    }

    private static Message defaultRequest(MethodDescriptor<Message, Message> method) {
        MethodDescriptor.Marshaller<Message> m = method.getRequestMarshaller();
        return ((MethodDescriptor.PrototypeMarshaller<Message>) m).getMessagePrototype();
    }

    private static void call(ManagedChannel channel, MethodDescriptor<Message, Message> method, Message request, long seed) {
        try {
            Message response = ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
            io.milvus.grpc.Status status = statusOf(response);
            // Code 5 ("service internal error") is what an unexpected exception turns into: bad input must get a real reason.
            if (status != null && status.getCode() == SERVICE_INTERNAL) {
                fail(method.getFullMethodName() + " hit an internal error: " + status.getReason() + " (seed " + seed + ")\n" + request);
            }
        } catch (StatusRuntimeException e) {
            if (!ACCEPTED.contains(e.getStatus().getCode())) {
                fail(method.getFullMethodName() + " failed with " + e.getStatus() + " (seed " + seed + ")");
            }
        }
    }

    /** Bytes that are (almost surely) not a valid encoding of the request: the server must reject them, not die. */
    private static void callWithRawBytes(ManagedChannel channel, MethodDescriptor<?, ?> method, Random random, long seed) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(BytesMarshaller.INSTANCE).setResponseMarshaller(BytesMarshaller.INSTANCE).build();
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        try {
            ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), junk);
        } catch (StatusRuntimeException e) {
            // grpc-java answers a request it cannot decode with UNKNOWN ("Application error processing RPC").
            if (!ACCEPTED.contains(e.getStatus().getCode()) && e.getStatus().getCode() != Status.Code.UNKNOWN) {
                fail(method.getFullMethodName() + " with raw bytes failed with " + e.getStatus() + " (seed " + seed + ")");
            }
        }
    }

    private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Random values for every field of a message, following its descriptor (nested messages to a bounded depth). */
    static final class RandomMessages {
        private static final String[] WORDS = {"", "default", "_default", "c1", "id", "vector", "id > 3", "$meta",
                "a\"b", "x".repeat(300), "AUTOINDEX", "COSINE", "HNSW", "{\"nlist\": 0}", "\u00e9\u0000"};

        static Message.Builder fill(Message.Builder b, Random r, int depth) {
            for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
                if (r.nextInt(3) == 0) {
                    continue;
                }
                if (f.isMapField()) {
                    continue;
                }
                if (f.isRepeated()) {
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        Object v = value(b, f, r, depth);
                        if (v != null) {
                            b.addRepeatedField(f, v);
                        }
                    }
                } else {
                    Object v = value(b, f, r, depth);
                    if (v != null) {
                        b.setField(f, v);
                    }
                }
            }
            return b;
        }

        private static Object value(Message.Builder b, FieldDescriptor f, Random r, int depth) {
            return switch (f.getJavaType()) {
                case INT -> r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(20) - 2;
                case LONG -> r.nextInt(5) == 0 ? r.nextLong() : (long) r.nextInt(20) - 2;
                case FLOAT -> r.nextInt(5) == 0 ? Float.NaN : r.nextFloat() * 10;
                case DOUBLE -> r.nextDouble() * 10;
                case BOOLEAN -> r.nextBoolean();
                case STRING -> WORDS[r.nextInt(WORDS.length)];
                case BYTE_STRING -> {
                    byte[] bytes = new byte[r.nextInt(40)];
                    r.nextBytes(bytes);
                    yield ByteString.copyFrom(bytes);
                }
                case ENUM -> {
                    var values = f.getEnumType().getValues();
                    yield values.get(r.nextInt(values.size()));
                }
                case MESSAGE -> depth <= 0 ? null : fill(b.newBuilderForField(f), r, depth - 1).build();
            };
        }
    }
}
