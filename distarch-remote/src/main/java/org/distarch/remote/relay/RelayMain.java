package org.distarch.remote.relay;

/**
 * The relay's own entry point, {@code java -cp <the relay's jars> org.distarch.remote.relay.RelayMain __relay}:
 * what the master starts on a host when it runs from a plain class path, so that the relay's JVM opens only
 * the few jars it runs on and loads nothing of the application (its worker commands and listeners, their
 * libraries). A master started with {@code java -jar} starts the application's own main with {@code __relay}
 * instead. docs/design.md, "The relay's JVM", has the measurements.
 */
public final class RelayMain {

    private RelayMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 || !args[0].equals("__relay")) {
            System.err.println("distarch relay: started by a master over SSH only (" + RelayMain.class.getName()
                    + " __relay)");
            System.exit(2);
        }
        System.exit(Relay.run(System.in, System.out, System.err));
    }
}
