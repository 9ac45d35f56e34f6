package dev.distillation.operator.progress;

import dev.distillation.api.v1alpha1.StageProgress;

/** What the trainer of {@code pod} (a Pod of {@code stage}) answered at its progress endpoint. */
public record ProgressReading(String stage, String pod, StageProgress progress) {}
