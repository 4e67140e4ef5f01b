package io.elanus.datanode;

import io.elanus.api.DataNodeClient;
import io.elanus.rpc.datanode.DataNodeGrpcClient;
import io.elanus.rpc.datanode.DataNodeGrpcService;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The datacoord's flush requests reach a datanode over loopback gRPC; its failures keep their Milvus kind. */
class DataNodeGrpcTest {

    @Test
    void flushRequestsReachTheNodeAndFailuresComeBack() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        DataNodeClient node = new DataNodeClient() {
            @Override
            public long nodeId() {
                return 4;
            }

            @Override
            public void flushSegments(String vchannel, List<Long> segmentIds, long flushTs) {
                if (vchannel.isEmpty()) {
                    throw new MilvusException(MilvusError.CHANNEL_NOT_FOUND, "channel not found[channel=]");
                }
                calls.add(vchannel + " " + segmentIds + " " + flushTs);
            }
        };
        try (RpcServer server = RpcServer.start(0, List.of(new DataNodeGrpcService(node)));
             ChannelPool channels = new ChannelPool()) {
            DataNodeGrpcClient client = new DataNodeGrpcClient(4, channels.channel("localhost:" + server.port()), Duration.ofSeconds(30));
            assertEquals(4, client.nodeId());
            client.flushSegments("v0", List.of(1L, 2L), 77);
            client.flushSegments("v1", List.of(), 78);
            assertEquals(List.of("v0 [1, 2] 77", "v1 [] 78"), calls);
            MilvusException e = assertThrows(MilvusException.class, () -> client.flushSegments("", List.of(), 1));
            assertEquals(MilvusError.CHANNEL_NOT_FOUND, e.kind());
            assertEquals("channel not found[channel=]", e.getMessage());
        }
    }
}
