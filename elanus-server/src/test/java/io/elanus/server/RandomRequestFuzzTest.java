package io.elanus.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.elanus.common.Config;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No request can take the server down: every unary RPC of the Milvus API receives requests with
 * random field values (from the run's seed, which a failure names), built from the protocol's own
 * descriptors, plus bytes that are not a valid message at all: random bytes behind an invalid tag, and a string field
 * holding invalid UTF-8. Each call must be answered (a Milvus status in the response, or a gRPC error for unimplemented
 * RPCs); undecodable bytes must get INVALID_ARGUMENT with a reason, without a stack trace per request in the log;
 * and the server must still serve afterwards.
 */
@ExtendWith(Seeds.class)
class RandomRequestFuzzTest {
    private static final int ROUNDS_PER_METHOD = 15;
    /** Statuses a call may legitimately end with at the transport level. */
    private static final Set<Status.Code> ACCEPTED = Set.of(Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL,
            Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

    @TempDir
    Path dataDir;

    @Test
    void randomRequestsToEveryRpcAreAnsweredAndTheServerKeepsServing(Seed seed) throws Exception {
        Random random = seed.random(1);
        LogCapture logs = LogCapture.start();
        int undecodable = 0;
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
                        call(channel, typed, request);
                    }
                    callWithRawBytes(channel, method, junk(random));
                    undecodable++;
                    byte[] badUtf8 = invalidUtf8(prototype);
                    if (badUtf8 != null) {
                        callWithRawBytes(channel, method, badUtf8);
                        undecodable++;
                    }
                }
                GetVersionResponse version = ClientCalls.blockingUnaryCall(channel, MilvusServiceGrpc.getGetVersionMethod(),
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GetVersionRequest.getDefaultInstance());
                assertEquals(0, version.getStatus().getCode(), "the server still answers after the fuzzing");
            } finally {
                channel.shutdownNow();
                logs.stop();
            }
        }
        assertEquals(0, logs.grpcErrors(), "grpc-java logged errors (a stack trace per bad request?)");
        // One line for the first undecodable request; the rest are counted into the next line, a minute later at the earliest.
        assertTrue(logs.undecodableLines() >= 1 && logs.undecodableLines() <= 2,
                logs.undecodableLines() + " log lines for " + undecodable + " undecodable requests");
    }

    /** Random bytes behind a tag with wire type 6 or 7, which protobuf never accepts. */
    private static byte[] junk(Random random) {
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        junk[0] = (byte) ((1 + random.nextInt(15)) << 3 | 6 + random.nextInt(2));
        return junk;
    }

    /** The request with its first string field set to bytes that are not UTF-8, or null if it has no string field. */
    private static byte[] invalidUtf8(Message prototype) {
        for (FieldDescriptor f : prototype.getDescriptorForType().getFields()) {
            if (f.getType() == FieldDescriptor.Type.STRING) {
                int tag = f.getNumber() << 3 | 2;
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int v = tag; ; v >>>= 7) {
                    if ((v & ~0x7F) == 0) {
                        out.write(v);
                        break;
                    }
                    out.write(v & 0x7F | 0x80);
                }
                out.write(2);
                out.write(0xC3); // a lead byte followed by a byte that cannot continue it
                out.write(0x28);
                return out.toByteArray();
            }
        }
        return null;
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

    private static void call(ManagedChannel channel, MethodDescriptor<Message, Message> method, Message request) {
        try {
            Message response = ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
            io.milvus.grpc.Status status = statusOf(response);
            // Code 5 ("service internal error") is what an unexpected exception turns into: bad input must get a real reason.
            if (status != null && status.getCode() == SERVICE_INTERNAL) {
                fail(method.getFullMethodName() + " hit an internal error: " + status.getReason() + "\n" + request);
            }
        } catch (StatusRuntimeException e) {
            if (!ACCEPTED.contains(e.getStatus().getCode())) {
                fail(method.getFullMethodName() + " failed with " + e.getStatus());
            }
        }
    }

    /** Bytes that are not a valid encoding of the request: INVALID_ARGUMENT with a reason, and the server serves on. */
    private static void callWithRawBytes(ManagedChannel channel, MethodDescriptor<?, ?> method, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(BytesMarshaller.INSTANCE).setResponseMarshaller(BytesMarshaller.INSTANCE).build();
        try {
            ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), bytes);
            fail(method.getFullMethodName() + " accepted undecodable bytes " + java.util.HexFormat.of().formatHex(bytes));
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(),
                    method.getFullMethodName() + " with undecodable bytes: " + e.getStatus());
            assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().startsWith("cannot decode the "),
                    "reason: " + e.getStatus().getDescription());
        }
    }

    /** Counts grpc-java's error records (java.util.logging) and the proxy's lines about undecodable requests (logback). */
    private static final class LogCapture {
        private final java.util.logging.Logger grpcLogger = java.util.logging.Logger.getLogger("io.grpc");
        private final java.util.concurrent.atomic.AtomicInteger grpcErrors = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    grpcErrors.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        private final ch.qos.logback.classic.Logger proxyLogger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.elanus.proxy.UndecodableRequests");
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();

        static LogCapture start() {
            LogCapture c = new LogCapture();
            c.grpcLogger.addHandler(c.handler);
            c.appender.start();
            c.proxyLogger.addAppender(c.appender);
            return c;
        }

        void stop() {
            grpcLogger.removeHandler(handler);
            proxyLogger.detachAppender(appender);
        }

        int grpcErrors() {
            return grpcErrors.get();
        }

        int undecodableLines() {
            return appender.list.size();
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
