package io.elanus.server;

import io.elanus.server.RunCommand;
import io.elanus.common.Config;
import io.elanus.common.FailFast;
import io.elanus.common.Params;
import io.elanus.common.StartupFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code elanus} command line. */
@Command(name = "elanus", mixinStandardHelpOptions = true, version = "Elanus 0.1.0 (Milvus 2.6 API)",
        description = "A Milvus-compatible vector database in Java.",
        subcommands = {ElanusMain.StandaloneCommand.class, RunCommand.class, CommandLine.HelpCommand.class})
public final class ElanusMain implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        FailFast.install();
        System.exit(new CommandLine(new ElanusMain()).execute(args));
    }

    @Command(name = "standalone", mixinStandardHelpOptions = true,
            description = {"Runs every role in one process on the embedded backends and serves the Milvus gRPC API.",
                    "Configuration keys follow milvus.yaml (e.g. proxy.port, common.gracefulTime, dataCoord.segment.maxSize);",
                    "environment variables override them the Milvus way (PROXY_PORT, COMMON_GRACEFULTIME, ...)."})
    static final class StandaloneCommand implements Callable<Integer> {
        @Option(names = "--config", description = "milvus.yaml-style configuration file")
        Path config;

        @Option(names = "--data-dir", description = "data directory (default: localStorage.path, ./data)")
        Path dataDir;

        @Option(names = "--port", description = "gRPC port (default: proxy.port, 19530)")
        Integer port;

        @Option(names = "--metrics-port", description = "port of the /healthz endpoint, 0 to disable (default: metrics.port, 9091)")
        Integer metricsPort;

        @Override
        public Integer call() throws Exception {
            Map<String, String> overrides = new HashMap<>();
            if (port != null) {
                overrides.put(Params.PROXY_PORT.key(), port.toString());
            }
            if (metricsPort != null) {
                overrides.put(Params.METRICS_PORT.key(), metricsPort.toString());
            }
            Config cfg;
            try {
                cfg = Config.load(config, System.getenv(), overrides);
            } catch (IllegalArgumentException e) {
                System.err.println("elanus: " + e.getMessage());
                return 2;
            }
            Path dir = dataDir != null ? dataDir : Path.of(cfg.get(Params.LOCAL_STORAGE_PATH));
            Standalone server;
            try {
                server = new Standalone(cfg, dir.toAbsolutePath());
            } catch (Exception e) {
                // Errors (an OutOfMemoryError above all) are left to the fail-fast handling: the process halts at once.
                return StartupFailure.report("the standalone server", e, System.err);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "elanus-shutdown"));
            System.out.println("Elanus standalone ready: Milvus gRPC API on 0.0.0.0:" + server.port()
                    + (server.healthPort() > 0 ? ", /healthz on 0.0.0.0:" + server.healthPort() : "")
                    + ", data in " + dir.toAbsolutePath());
            System.out.flush();
            stopped.await();
            return 0;
        }
    }
}
