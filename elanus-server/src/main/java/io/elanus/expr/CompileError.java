package io.elanus.expr;

/** A problem found while parsing or checking an expression; FilterCompiler turns it into a Milvus error status. */
final class CompileError extends RuntimeException {
    CompileError(String detail) {
        super(detail, null, false, false);
    }
}
