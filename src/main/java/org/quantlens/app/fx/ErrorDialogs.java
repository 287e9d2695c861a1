package org.quantlens.app.fx;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** Modal error messages of one line: what failed and why, never a stack trace. */
public final class ErrorDialogs {
    private ErrorDialogs() {
    }

    /** Shows {@code what} (e.g. "Could not open the model") with the failure's one-line message. */
    public static void show(Window owner, String what, Throwable error) {
        show(owner, what, Messages.oneLine(error));
    }

    /** Shows {@code what} with {@code detail} as a modal alert and waits for OK. */
    public static void show(Window owner, String what, String detail) {
        Alert alert = new Alert(Alert.AlertType.ERROR, detail, ButtonType.OK);
        alert.setTitle("QuantLens");
        alert.setHeaderText(what);
        if (owner != null) {
            alert.initOwner(owner);
        }
        alert.getDialogPane().setMinWidth(420);
        alert.showAndWait();
    }
}
