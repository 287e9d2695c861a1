package org.quantlens.exec;

import org.quantlens.tensor.InvalidInputException;

/**
 * A node cannot run as specified: a bad attribute, incompatible input shapes, an index out of range. The engine
 * prefixes the message with the node's name and operator, so kernels only describe the problem.
 */
public class KernelException extends InvalidInputException {
    public KernelException(String message) {
        super(message);
    }
}
