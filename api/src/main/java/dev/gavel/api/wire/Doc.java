package dev.gavel.api.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the OpenAPI document says about a body record or one of its fields, beyond its Java type. The
 * schema of a body is generated from the record by {@link RecordSchemas}; this is the only other input.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Doc {
    /** Human description. */
    String value() default "";

    /** An ECMA-262 pattern the string matches. */
    String pattern() default "";

    /** One example value (JSON text when it is not a plain string, e.g. {@code 42}). */
    String example() default "";

    /**
     * The enum whose spellings the string takes: its constants' {@code value()} when the enum has one, else
     * their lower-case names. Lets a wire field stay a string while the document lists the allowed values.
     */
    Class<? extends Enum<?>> oneOf() default None.class;

    /** A named schema of the document (a {@code components.schemas} key) for a field typed as a JSON tree. */
    String ref() default "";

    /** No enum. */
    enum None {}
}
