package io.elanus.bench.jmh;

import io.elanus.vector.VectorKernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH's CSV results of the kernel benchmarks into a Markdown table: one row per kernel and size,
 * scalar and SIMD ns/op side by side, and the SIMD speed-up.
 * Usage: KernelTable results.csv
 */
public final class KernelTable {
    /** Row labels (vector type, kernel) by "Class.method", in table order. */
    private static final Map<String, String[]> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("FloatKernelBench.l2", new String[]{"float", "L2"});
        LABELS.put("FloatKernelBench.ip", new String[]{"float", "IP"});
        LABELS.put("FloatKernelBench.cosine", new String[]{"float", "cosine (3 dot products)"});
        LABELS.put("FloatKernelBench.l2OffHeap", new String[]{"float", "L2, off-heap row"});
        LABELS.put("FloatKernelBench.ipOffHeap", new String[]{"float", "IP, off-heap row"});
        LABELS.put("Int8KernelBench.l2", new String[]{"int8", "L2"});
        LABELS.put("Int8KernelBench.ip", new String[]{"int8", "IP"});
        LABELS.put("Int8KernelBench.cosine", new String[]{"int8", "cosine (3 dot products)"});
        LABELS.put("Int8KernelBench.l2OffHeap", new String[]{"int8", "L2, float query against an off-heap row"});
        LABELS.put("Int8KernelBench.ipOffHeap", new String[]{"int8", "IP, float query against an off-heap row"});
        LABELS.put("BinaryKernelBench.hamming", new String[]{"binary", "Hamming"});
        LABELS.put("BinaryKernelBench.jaccard", new String[]{"binary", "Jaccard"});
        LABELS.put("BinaryKernelBench.hammingOffHeap", new String[]{"binary", "Hamming, off-heap row"});
        LABELS.put("BinaryKernelBench.jaccardOffHeap", new String[]{"binary", "Jaccard, off-heap row"});
        LABELS.put("SparseIpBench.scan", new String[]{"sparse float", "IP, per row of an exact top-10 scan"});
    }

    private KernelTable() {
    }

    /** One benchmark at one size: its score (ns/op) and error per implementation ("simd", "scalar"). */
    private record Cell(double score, double error) {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = fields(lines.getFirst());
        int benchmarkCol = header.indexOf("Benchmark");
        int scoreCol = header.indexOf("Score");
        int errorCol = header.indexOf("Score Error (99.9%)");
        int unitCol = header.indexOf("Unit");
        int implCol = header.indexOf("Param: impl");
        // label key -> size -> impl -> cell
        Map<String, Map<Integer, Map<String, Cell>>> results = new LinkedHashMap<>();
        Map<String, String> sizeNames = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = fields(line);
            String name = f.get(benchmarkCol);
            String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            if (!LABELS.containsKey(key)) {
                throw new IllegalArgumentException("no table label for benchmark " + key);
            }
            if (!f.get(unitCol).equals("ns/op")) {
                throw new IllegalArgumentException(key + " is in " + f.get(unitCol) + ", expected ns/op");
            }
            int size = 0;
            String sizeName = "";
            for (String param : List.of("dim", "bits", "nnz")) {
                int col = header.indexOf("Param: " + param);
                if (col >= 0 && !f.get(col).isEmpty()) {
                    size = Integer.parseInt(f.get(col));
                    sizeName = switch (param) {
                        case "dim" -> size + "-d";
                        case "bits" -> size + " bits";
                        default -> "nnz " + size;
                    };
                }
            }
            sizeNames.put(key + "/" + size, sizeName);
            String impl = implCol >= 0 && !f.get(implCol).isEmpty() ? f.get(implCol) : "scalar";
            results.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(size, s -> new LinkedHashMap<>())
                    .put(impl, new Cell(Double.parseDouble(f.get(scoreCol)), parseError(f.get(errorCol))));
        }
        StringBuilder md = new StringBuilder();
        md.append("SIMD kernels: `").append(VectorKernels.get().name()).append("` (the Vector API's preferred species on this CPU).\n\n");
        md.append("| vector | kernel | size | scalar ns/op | SIMD ns/op | SIMD speed-up |\n");
        md.append("|---|---|---|---:|---:|---:|\n");
        for (String key : LABELS.keySet()) {
            Map<Integer, Map<String, Cell>> bySize = results.get(key);
            if (bySize == null) {
                continue;
            }
            for (var e : bySize.entrySet()) {
                Cell scalar = e.getValue().get("scalar");
                Cell simd = e.getValue().get("simd");
                md.append(String.format("| %s | %s | %s | %s | %s | %s |%n", LABELS.get(key)[0], LABELS.get(key)[1],
                        sizeNames.get(key + "/" + e.getKey()), format(scalar), simd == null ? "no SIMD version" : format(simd),
                        scalar == null || simd == null ? "-" : String.format("%.1fx", scalar.score() / simd.score())));
            }
        }
        System.out.print(md);
    }

    private static String format(Cell cell) {
        if (cell == null) {
            return "-";
        }
        return Double.isNaN(cell.error()) ? String.format("%.1f", cell.score())
                : String.format("%.1f ± %.1f", cell.score(), cell.error());
    }

    private static double parseError(String field) {
        return field.isEmpty() || field.equals("NaN") ? Double.NaN : Double.parseDouble(field);
    }

    /** The fields of one line of JMH's CSV (text quoted, numbers bare; no field holds a comma). */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String f : line.split(",", -1)) {
            out.add(f.strip().replaceAll("^\"|\"$", ""));
        }
        return out;
    }
}
