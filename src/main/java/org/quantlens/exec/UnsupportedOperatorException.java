package org.quantlens.exec;

import org.quantlens.tensor.InvalidInputException;

/** The model uses an operator the engine cannot run; the message is "unsupported operator Foo (node bar)". */
public class UnsupportedOperatorException extends InvalidInputException {
    public UnsupportedOperatorException(String message) {
        super(message);
    }
}
