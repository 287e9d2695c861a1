package org.quantlens.tensor;

/**
 * Bad input from outside the program: a malformed file, an impossible shape, a model we cannot run.
 * The message is one line that names the file (when there is one) and what is wrong with it; the command line
 * prints it as is and exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "<source>: <problem>", the house format for a one-line error about a file. */
    public static InvalidInputException of(Object source, String problem) {
        return new InvalidInputException(source + ": " + problem);
    }
}
