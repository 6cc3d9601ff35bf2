package org.distarch.examples;

import org.distarch.cli.Distarch;

/**
 * A small application in the seed's {@code bin/console} model: one binary that holds its worker
 * commands and hands its {@code main} to distarch. Without arguments it runs the master on the demo
 * configuration embedded in the jar ({@code demo.yaml}).
 */
public final class DemoApp {

    private DemoApp() {}

    public static void main(String[] args) {
        Distarch.app(DemoApp.class)
                .name("demo")
                .worker(new TickerCommand())
                .worker(new BatchCommand())
                .worker(new FlakyCommand())
                .worker(new GreeterCommand())
                .worker(new OrdersCommand())
                .defaultConfig("demo.yaml")
                .run(args.length == 0 ? new String[] {"run-master"} : args);
    }
}
