package dev.distillation.trainer.data;

/**
 * A dataset that cannot be read: a missing folder or file, or a file that is not what its format
 * says. {@link #getMessage()} is one line for the user naming the file and what was expected.
 */
public class DatasetException extends Exception {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
