package org.quantlens.app.main;

/** The two AtlantaFX themes the app offers. */
public enum Theme {
    LIGHT,
    DARK;

    /** The theme named {@code name} ("LIGHT"/"DARK"), LIGHT for anything else. */
    public static Theme parse(String name) {
        return "DARK".equals(name) ? DARK : LIGHT;
    }
}
