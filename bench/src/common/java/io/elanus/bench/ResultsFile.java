package io.elanus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of one leg of the ANN benchmark as tab-separated lines, so that legs run in separate JVMs
 * (the in-process engines and the SDK cannot share a class path) feed one report. A first line
 * {@code # vectors=N queries=Q} describes the data.
 */
final class ResultsFile {
    private ResultsFile() {
    }

    record Contents(int vectors, int queries, List<AnnResult> results) {
    }

    static void write(Path file, GloveData data, List<AnnResult> results) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# vectors=").append(data.baseCount() + data.queries().length)
                .append(" queries=").append(data.queries().length).append('\n');
        for (AnnResult r : results) {
            out.append(String.join("\t", r.engine(), r.build(), r.search(), num(r.buildSeconds()), num(r.recall()),
                    num(r.qps1()), num(r.qps2()), num(r.loadAverage()))).append('\n');
        }
        Files.writeString(file, out);
    }

    static Contents read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.getFirst().substring(2).split(" ");
        List<AnnResult> results = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            results.add(new AnnResult(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])));
        }
        return new Contents(value(header[0], "vectors"), value(header[1], "queries"), results);
    }

    private static int value(String pair, String key) {
        if (!pair.startsWith(key + "=")) {
            throw new IllegalArgumentException("expected " + key + "=..., got " + pair);
        }
        return Integer.parseInt(pair.substring(key.length() + 1));
    }

    private static String num(double v) {
        return Double.toString(v);
    }
}
