package org.quantlens.app.playground;

import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.fxml.FXMLLoader;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The playground headless: typing the range [-1, 1] shows uint8 scale 2/255; the dot product's steps show. */
@ExtendWith(ApplicationExtension.class)
class PlaygroundViewFxTest {
    @Start
    void start(Stage stage) throws Exception {
        FXMLLoader loader = new FXMLLoader(PlaygroundView.class.getResource("PlaygroundView.fxml"));
        loader.load();
        PlaygroundView view = loader.getController();
        view.bind(new PlaygroundViewModel(), e -> { });
        stage.setScene(new Scene(view.root(), 1280, 700));
        stage.show();
    }

    @Test
    void typingARangeUpdatesTheMappingNumbers(FxRobot robot) {
        robot.doubleClickOn("#playgroundMin").eraseText(20).write("-1").type(KeyCode.ENTER);
        robot.doubleClickOn("#playgroundMax").eraseText(20).write("1").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        String asym = robot.lookup("#asymmetricNumbers").queryAs(Label.class).getText();
        assertTrue(asym.startsWith("scale = 2 / 255 = 0.00784314"), asym);
        assertTrue(asym.contains("zero point = 127") || asym.contains("zero point = 128"), asym);
        String sym = robot.lookup("#symmetricNumbers").queryAs(Label.class).getText();
        assertTrue(sym.startsWith("scale = 2 / 254 = 0.00787402"), sym);
        assertTrue(robot.lookup("#dotSteps").lookup((Label l) -> l.getText().contains("= -32385")).tryQuery()
                .isPresent(), "the accumulator is shown");
    }
}
