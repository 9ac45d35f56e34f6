package dev.distillation.cli;

import picocli.CommandLine;

/** {@code distill --version}: the trainer's version, without loading libtorch. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = DistillCommand.class.getPackage().getImplementationVersion();
        return new String[] {"distill " + (v == null ? "(development build)" : v)};
    }
}
