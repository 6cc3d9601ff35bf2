package org.distarch.master;

/** The configuration asks for something this build cannot run yet (named in the message). */
public final class UnsupportedConfigException extends RuntimeException {

    public UnsupportedConfigException(String message) {
        super(message);
    }
}
