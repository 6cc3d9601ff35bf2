package org.distarch.event;

/**
 * How a process ended: an exit code, or the signal that killed it ({@code signal > 0}).
 *
 * <p>Java reports a death by signal N as exit value 128+N; {@link #fromExitValue} undoes that, so a
 * program that itself exits with 130 is reported as killed by SIGINT. Both mean "did not end cleanly".
 */
public record ExitStatus(int code, int signal) {

    public static ExitStatus fromExitValue(int value) {
        if (value > 128 && value <= 128 + 64) {
            return new ExitStatus(value, value - 128);
        }
        return new ExitStatus(value, 0);
    }

    public boolean clean() {
        return code == 0 && signal == 0;
    }

    public boolean killedBySignal() {
        return signal > 0;
    }

    public String describe() {
        return killedBySignal() ? "killed by signal " + signal + " (" + signalName(signal) + ")" : "exit code " + code;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "SIG" + signal;
        };
    }
}
