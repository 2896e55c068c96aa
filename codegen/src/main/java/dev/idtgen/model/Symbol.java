package dev.idtgen.model;

/** A vector symbol of trapnr.h / irq_vectors.h with its number and the condition under which it exists. */
public record Symbol(String name, int number, Condition condition, Pos pos) {
}
