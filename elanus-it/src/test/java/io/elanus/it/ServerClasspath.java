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

    /** {@code java <jvmArgs> -cp <server> io.elanus.standalone.ElanusMain}, ready for the command's arguments. */
    static List<String> javaCommand(String... jvmArgs) {
        String classes = requiredPath("elanus.server.classes");
        String lib = requiredPath("elanus.server.lib");
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("elanus.java", Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(classes + File.pathSeparator + lib + File.separator + "*");
        command.add("io.elanus.standalone.ElanusMain");
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
