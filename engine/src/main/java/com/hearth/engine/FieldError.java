package com.hearth.engine;

/** One invalid input field, named as the client spelled it (snake_case path). */
public record FieldError(String field, String message) implements CborSerializable {}
