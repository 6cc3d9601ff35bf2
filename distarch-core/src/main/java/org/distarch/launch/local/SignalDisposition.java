package org.distarch.launch.local;

import com.sun.jna.Pointer;

/**
 * A signal's disposition set back to the default, for a signal the process that started the master left
 * ignored ({@code nohup} ignores HUP, a shell's background job INT). An ignored disposition survives exec,
 * and the JVM then refuses, silently, to handle HUP, INT or TERM: this is how the master takes one back.
 */
public final class SignalDisposition {

    private SignalDisposition() {}

    /**
     * Sets {@code signal} (a {@link org.distarch.launch.SignalName}, e.g. "HUP") to its default action; true
     * when it was set. Call it just before a handler is installed: until then the default action applies.
     */
    public static boolean restoreDefault(String signal) {
        Pointer previous = Libc.signal(Libc.signalNumber(signal), null);
        return Pointer.nativeValue(previous) != -1L;
    }
}
