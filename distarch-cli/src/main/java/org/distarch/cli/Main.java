package org.distarch.cli;

/**
 * The plain {@code distarch} command: run-master and config commands, with whatever worker commands and
 * listeners the class path declares through {@code META-INF/services}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        Distarch.app(Main.class).run(args);
    }
}
