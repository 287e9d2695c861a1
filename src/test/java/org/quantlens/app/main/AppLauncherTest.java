package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AppLauncherTest {
    @Test
    void linuxWithoutDisplayVariablesHasNoDisplay() {
        assertFalse(AppLauncher.hasDisplay(null, "Linux", null, ""));
        assertTrue(AppLauncher.hasDisplay(null, "Linux", ":99", null));
        assertTrue(AppLauncher.hasDisplay(null, "Linux", null, "wayland-0"));
        assertTrue(AppLauncher.hasDisplay("Monocle", "Linux", null, null), "headless glass needs no display");
        assertTrue(AppLauncher.hasDisplay(null, "Windows 11", null, null));
    }

    @Test
    void theNoDisplayMessageIsOneLine() {
        assertEquals(-1, AppLauncher.NO_DISPLAY.indexOf('\n'));
    }
}
