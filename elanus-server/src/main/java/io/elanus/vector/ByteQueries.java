package io.elanus.vector;

/** Binary queries ({@code dim} bits, {@code dim / 8} bytes each) or int8 queries ({@code dim} bytes each). */
public record ByteQueries(int dim, byte[][] vectors) implements QueryVectors {
    @Override
    public int count() {
        return vectors.length;
    }
}
