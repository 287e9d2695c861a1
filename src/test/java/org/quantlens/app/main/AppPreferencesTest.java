package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppPreferencesTest {
    private final Preferences node = Preferences.userRoot().node("org/quantlens/test/" + System.nanoTime());
    private final AppPreferences prefs = new AppPreferences(node);

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void recentFilesAreNewestFirstWithoutDuplicatesAndCapped() {
        for (int i = 0; i < AppPreferences.MAX_RECENT + 3; i++) {
            prefs.addRecent(Path.of("/m/" + i + ".onnx"));
        }
        prefs.addRecent(Path.of("/m/5.onnx"));
        var list = prefs.recentFiles();
        assertEquals(AppPreferences.MAX_RECENT, list.size());
        assertEquals(Path.of("/m/5.onnx"), list.get(0));
        assertEquals(1, list.stream().filter(p -> p.equals(Path.of("/m/5.onnx"))).count());
    }

    @Test
    void themeAndWindowRoundTrip() {
        assertEquals(Theme.LIGHT, prefs.theme());
        prefs.setTheme(Theme.DARK);
        prefs.setWindow(10, 20, 900, 700, true);
        AppPreferences again = new AppPreferences(node);
        assertEquals(Theme.DARK, again.theme());
        assertEquals(900.0, again.windowBounds()[2]);
        assertTrue(again.maximized());
    }
}
