package dev.distillation.api;

/** A chain file that cannot be read as a DistillationChain; the message names the file and the problem. */
public class ChainFileException extends Exception {
    public ChainFileException(String message) {
        super(message);
    }

    public ChainFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
