package dev.gavel.engine.expr;

/** One side of a predicate: a request field or a literal. */
public sealed interface Operand permits FieldRef, Literal {
    Position pos();
}
