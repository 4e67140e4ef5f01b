package io.elanus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the JDK's jcmd against another JVM (the server), e.g. to start and stop a flight recording. */
final class Jcmd {
    private Jcmd() {
    }

    /** jcmd's output; empty (after a message on stderr) when it could not run or failed. */
    static String run(long pid, String... command) {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                System.err.println("jcmd " + String.join(" ", command) + " failed: " + out);
                return "";
            }
            return out;
        } catch (IOException e) {
            System.err.println("jcmd " + String.join(" ", command) + " failed: " + e);
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
