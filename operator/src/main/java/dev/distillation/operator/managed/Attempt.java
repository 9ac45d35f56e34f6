package dev.distillation.operator.managed;

/**
 * Which attempt of a stage a Pod is.
 *
 * @param number             the N in {@code <chain>-<stage>-aN}; counts across fingerprints
 * @param fingerprintAttempt which attempt of its fingerprint the Pod is, from 1
 * @param failuresBefore     trainer failures of the same fingerprint before this Pod (counted against backoffLimit)
 */
public record Attempt(int number, int fingerprintAttempt, int failuresBefore) {}
