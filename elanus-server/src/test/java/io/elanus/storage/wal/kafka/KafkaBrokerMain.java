package io.elanus.storage.wal.kafka;

import kafka.Kafka;
import kafka.tools.StorageTool;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Main class of the test broker's JVM ({@link KafkaTestBroker}): formats the storage directories as
 * {@code kafka-storage format} would, then runs Kafka. The JVM halts once its standard input ends,
 * which happens however the test JVM exits, so an aborted test run leaves no broker behind.
 *
 * <p>Arguments: the server.properties file, the cluster id.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        String serverProperties = args[0];
        String clusterId = args[1];
        Thread.ofPlatform().daemon().name("halt-when-parent-exits").start(KafkaBrokerMain::haltAtEndOfInput);
        int formatted = StorageTool.execute(new String[]{"format", "--cluster-id", clusterId, "--config", serverProperties}, System.out);
        if (formatted != 0) {
            System.err.println("formatting the Kafka storage failed with code " + formatted);
            Runtime.getRuntime().halt(formatted);
        }
        Kafka.main(new String[]{serverProperties});
    }

    private static void haltAtEndOfInput() {
        try {
            System.in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the parent is gone either way
        }
        Runtime.getRuntime().halt(0);
    }
}
