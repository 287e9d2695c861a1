package org.quantlens.app.main;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the app remembers between runs, in {@link java.util.prefs.Preferences}: theme, window bounds and the
 * recent files (newest first, at most {@value #MAX_RECENT}, no duplicates). Tests pass their own node.
 */
public final class AppPreferences {
    static final int MAX_RECENT = 8;
    private static final String RECENT = "recentFiles";

    private final Preferences node;

    public AppPreferences(Preferences node) {
        this.node = node;
    }

    /** The user's QuantLens node. */
    public static AppPreferences user() {
        return new AppPreferences(Preferences.userRoot().node("org/quantlens/app"));
    }

    public Theme theme() {
        return Theme.parse(node.get("theme", Theme.LIGHT.name()));
    }

    public void setTheme(Theme t) {
        node.put("theme", t.name());
    }

    /**
     * Window bounds: x, y, width, height; NaN for x/y when never saved (centre the window), and the default
     * 1280x800 size.
     */
    public double[] windowBounds() {
        return new double[] {node.getDouble("x", Double.NaN), node.getDouble("y", Double.NaN),
                node.getDouble("width", 1280), node.getDouble("height", 800)};
    }

    public boolean maximized() {
        return node.getBoolean("maximized", false);
    }

    public void setWindow(double x, double y, double width, double height, boolean maximized) {
        node.putDouble("x", x);
        node.putDouble("y", y);
        node.putDouble("width", width);
        node.putDouble("height", height);
        node.putBoolean("maximized", maximized);
    }

    /** Recent files, newest first. */
    public List<Path> recentFiles() {
        List<Path> out = new ArrayList<>();
        for (String s : node.get(RECENT, "").split("\n")) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    /** Puts {@code file} first in the recent list and returns the new list. */
    public List<Path> addRecent(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> list = recentFiles();
        list.remove(abs);
        list.add(0, abs);
        while (list.size() > MAX_RECENT) {
            list.remove(list.size() - 1);
        }
        node.put(RECENT, String.join("\n", list.stream().map(Path::toString).toList()));
        return list;
    }

    /** Writes to the backing store now; failures are ignored (preferences are a convenience). */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException | IllegalStateException ignored) {
            // nothing to do: the next run starts with defaults
        }
    }
}
