package io.elanus.vector;

/** The smaller-is-better cost of stored nodes against one query. */
@FunctionalInterface
interface NodeScorer {
    float cost(int node);
}
