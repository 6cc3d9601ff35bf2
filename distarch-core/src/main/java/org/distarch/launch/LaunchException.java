package org.distarch.launch;

/** A worker could not be started (missing program, bad directory, refused by the system). */
public final class LaunchException extends RuntimeException {

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
