package io.elanus.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fail-fast handler, in a child JVM: an Error that kills a thread (here an OutOfMemoryError thrown
 * by code, which -XX:+ExitOnOutOfMemoryError does not cover) ends the process with status 3, while an
 * exception that kills a thread does not.
 */
class FailFastTest {

    /** The child: installs the handler, lets one thread die of {@code args[0]}, then exits 0 if still alive. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            FailFast.install();
            Thread t = new Thread(() -> {
                if (args[0].equals("error")) {
                    throw new OutOfMemoryError("simulated");
                }
                throw new IllegalStateException("simulated");
            }, "doomed");
            t.start();
            t.join();
            Thread.sleep(500);
            System.out.println("still alive");
            System.exit(0);
        }
    }

    private static Result runChild(String kind) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), kind))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not end");
        return new Result(p.exitValue(), output);
    }

    private record Result(int status, String output) {
    }

    @Test
    void anErrorThatKillsAThreadHaltsTheProcess() throws Exception {
        Result r = runChild("error");
        assertEquals(FailFast.EXIT_STATUS, r.status(), r.output());
        assertTrue(r.output().contains("elanus: fatal java.lang.OutOfMemoryError: simulated in thread doomed"), r.output());
        assertTrue(!r.output().contains("still alive"), r.output());
    }

    @Test
    void anExceptionThatKillsAThreadDoesNot() throws Exception {
        Result r = runChild("exception");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("Exception in thread \"doomed\" java.lang.IllegalStateException: simulated"), r.output());
        assertTrue(r.output().contains("still alive"), r.output());
    }
}
