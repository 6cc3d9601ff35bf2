package org.distarch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.distarch.control.MasterStatus;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.socket.ControlResponse;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"A live view of the running master's fleet, as pm2 monit: a header with the totals (processes "
                + "by state, memory, restarts), then every process with its state, pid, CPU (% of a core since the "
                + "last refresh), memory, restarts and last output line, refreshed in place.",
            "",
            "Keys: g cycles the group filter (all groups, then each group), / filters by text (Enter to apply, Esc to "
                    + "clear), q or Ctrl-C quits.",
            "",
            "When standard output is not a terminal, prints a plain frame every --interval instead; --once prints "
                    + "one frame and exits."})
final class TopCommand implements Callable<Integer> {

    private static final String KEYS = "[g] group  [/] filter  [q] quit";

    @Mixin
    ControlSocketOption master;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--once", description = "Print one frame and exit.")
    boolean once;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Show only this group's processes.")
    String group;

    private final TopView view = new TopView();

    @Override
    public Integer call() throws IOException {
        if (interval < 0.2) {
            System.err.println("--interval must be at least 0.2 seconds (got " + interval + ")");
            return ExitCodes.USAGE;
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        if (once || System.console() == null) {
            return plain(out);
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                return plain(out);
            }
            return live(terminal);
        }
    }

    /** Frames one after another, no escapes: for pipes, files and tests. */
    private int plain(PrintStream out) {
        while (true) {
            MasterStatus status = status();
            if (status == null) {
                return ExitCodes.NO_MASTER;
            }
            view.render(status, System.currentTimeMillis(), group, null, 0, "").forEach(out::println);
            out.flush();
            if (once) {
                return 0;
            }
            out.println();
            try {
                Thread.sleep((long) (interval * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    /** Refreshes in place (home, each line then erase-to-end, erase below), reading keys between frames. */
    private int live(Terminal terminal) throws IOException {
        Attributes saved = terminal.enterRawMode();
        PrintStream screen = new PrintStream(terminal.output(), false, StandardCharsets.UTF_8);
        NonBlockingReader keys = terminal.reader();
        String text = "";
        StringBuilder typing = null;
        screen.print("\u001b[?1049h\u001b[?25l"); // the alternate screen, no cursor: the shell's screen comes back
        try {
            while (true) {
                MasterStatus status = status();
                if (status == null) {
                    return ExitCodes.NO_MASTER;
                }
                String prompt = typing != null ? "filter: " + typing + "_" : KEYS;
                List<String> lines = view.render(status, System.currentTimeMillis(), group, text,
                        terminal.getWidth(), prompt);
                int height = Math.max(1, terminal.getHeight());
                StringBuilder frame = new StringBuilder("\u001b[H");
                for (int i = 0; i < Math.min(lines.size(), height); i++) {
                    frame.append(lines.get(i)).append("\u001b[K").append(i < height - 1 ? "\r\n" : "");
                }
                frame.append("\u001b[J");
                screen.print(frame);
                screen.flush();
                long due = System.currentTimeMillis() + (long) (interval * 1000);
                boolean redraw = false;
                while (!redraw) {
                    long left = due - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    int c = keys.read(left);
                    if (c == NonBlockingReader.READ_EXPIRED) {
                        break;
                    }
                    if (c < 0) {
                        return 0;
                    }
                    if (typing != null) {
                        if (c == '\r' || c == '\n') {
                            text = typing.toString();
                            typing = null;
                        } else if (c == 27) {
                            text = "";
                            typing = null;
                        } else if (c == 127 || c == 8) {
                            if (typing.length() > 0) {
                                typing.setLength(typing.length() - 1);
                            }
                        } else if (c >= 32) {
                            typing.append((char) c);
                        }
                        redraw = true;
                    } else if (c == 'q' || c == 'Q' || c == 3) {
                        return 0;
                    } else if (c == 'g' || c == 'G') {
                        group = next(TopView.groups(status), group);
                        redraw = true;
                    } else if (c == '/') {
                        typing = new StringBuilder();
                        redraw = true;
                    }
                }
            }
        } finally {
            screen.print("\u001b[?25h\u001b[?1049l");
            screen.flush();
            terminal.setAttributes(saved);
        }
    }

    /** all → first group → … → last group → all. */
    static String next(List<String> groups, String current) {
        if (groups.isEmpty()) {
            return null;
        }
        int at = current == null ? -1 : groups.indexOf(current);
        return at + 1 >= groups.size() ? null : groups.get(at + 1);
    }

    private MasterStatus status() {
        ControlResponse response = master.send(ControlRequest.of("status"));
        if (response == null) {
            return null;
        }
        if (response.status() == null) {
            System.err.println(response.result() == null ? "the master answered without a status"
                    : response.result().message());
        }
        return response.status();
    }
}
