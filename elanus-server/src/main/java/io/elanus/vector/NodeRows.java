package io.elanus.vector;

import java.util.Arrays;
import java.util.BitSet;

/** Maps an index's node ids (its non-null vectors, in index order) to column rows and back. */
final class NodeRows {
    private final int[] rowOfNode;
    private final int[] nodeOfRow;

    NodeRows(int[] rowOfNode, int columnSize) {
        this.rowOfNode = rowOfNode;
        this.nodeOfRow = new int[columnSize];
        Arrays.fill(nodeOfRow, -1);
        for (int node = 0; node < rowOfNode.length; node++) {
            nodeOfRow[rowOfNode[node]] = node;
        }
    }

    int count() {
        return rowOfNode.length;
    }

    int columnSize() {
        return nodeOfRow.length;
    }

    int row(int node) {
        return rowOfNode[node];
    }

    int[] rowOfNode() {
        return rowOfNode;
    }

    boolean allowed(int node, BitSet allowed) {
        return allowed == null || allowed.get(rowOfNode[node]);
    }

    /** Nodes the filter lets through. */
    int eligibleCount(BitSet allowed) {
        if (allowed == null) {
            return rowOfNode.length;
        }
        int n = 0;
        for (int row = allowed.nextSetBit(0); row >= 0 && row < nodeOfRow.length; row = allowed.nextSetBit(row + 1)) {
            if (nodeOfRow[row] >= 0) {
                n++;
            }
        }
        return n;
    }

    /** The eligible node ids in ascending row order, or all nodes when {@code allowed} is null. */
    interface NodeVisitor {
        void visit(int node);
    }

    void forEachEligible(BitSet allowed, NodeVisitor visitor) {
        if (allowed == null) {
            for (int node = 0; node < rowOfNode.length; node++) {
                visitor.visit(node);
            }
            return;
        }
        for (int row = allowed.nextSetBit(0); row >= 0 && row < nodeOfRow.length; row = allowed.nextSetBit(row + 1)) {
            int node = nodeOfRow[row];
            if (node >= 0) {
                visitor.visit(node);
            }
        }
    }
}
