package org.distarch.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration could not be loaded; {@link #errors()} lists every problem found, in the order found. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super();
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    /** Every error, one per line, each formatted by {@link ConfigError#format()}. */
    @Override
    public String getMessage() {
        return errors.stream().map(ConfigError::format).collect(Collectors.joining("\n"));
    }
}
