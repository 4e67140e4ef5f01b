package io.elanus.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the built server in a child JVM. Its classes are not on the test classpath (they
 * share the {@code io.milvus.grpc} package with the SDK), so they are located through the system
 * properties {@code elanus.server.classes}, {@code elanus.server.lib} and {@code elanus.java}
 * that the module's pom passes to surefire.
 */
final class ServerClasspath {
    private ServerClasspath() {
    }

    /** {@code java <jvmArgs> -cp <server> io.elanus.server.ElanusMain}, ready for the command's arguments. */
    static List<String> javaCommand(String... jvmArgs) {
        String classes = requiredPath("elanus.server.classes");
        String lib = requiredPath("elanus.server.lib");
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("elanus.java", Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        // As bin/elanus: out of memory ends the server at once instead of leaving it half dead.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(classes + File.pathSeparator + lib + File.separator + "*");
        command.add("io.elanus.server.ElanusMain");
        return command;
    }

    /**
     * {@code java <jvmArgs> -cp <server and its test classes> <mainClass>}: for launchers kept with
     * the server's tests, such as the dev backends (etcd, Kafka, S3) of the cluster test. The test
     * classpath is the file {@code elanus.server.test.classpath} that the server's build writes.
     */
    static List<String> testJavaCommand(String jvmArg, String mainClass) {
        String classes = requiredPath("elanus.server.classes");
        String testClasses = requiredPath("elanus.server.test.classes");
        String classpathFile = System.getProperty("elanus.server.test.classpath");
        String deps;
        try {
            deps = Files.readString(Paths.get(classpathFile)).trim();
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("system property elanus.server.test.classpath must name the server's test classpath file, got "
                    + classpathFile, e);
        }
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("elanus.java", Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.add(jvmArg);
        command.add("-cp");
        command.add(testClasses + File.pathSeparator + classes + File.pathSeparator + deps);
        command.add(mainClass);
        return command;
    }

    private static String requiredPath(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isDirectory(Paths.get(value))) {
            throw new IllegalStateException("system property " + property + " must name the built server's directory, got " + value
                    + " (build elanus-server first, or pass -D" + property + "=...)");
        }
        return value;
    }
}
