package dev.gavel.engine.expr;

/** A literal value. */
public sealed interface Literal extends Operand {
    ValueType type();

    /** The value as the interpreter and {@code Request} hold it: String, Long or Boolean. */
    Object value();

    record Str(String value, Position pos) implements Literal {
        public Str {
            java.util.Objects.requireNonNull(value);
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    record Int(long longValue, Position pos) implements Literal {
        @Override
        public ValueType type() {
            return ValueType.INTEGER;
        }

        @Override
        public Object value() {
            return longValue;
        }
    }

    record Bool(boolean booleanValue, Position pos) implements Literal {
        @Override
        public ValueType type() {
            return ValueType.BOOLEAN;
        }

        @Override
        public Object value() {
            return booleanValue;
        }
    }
}
