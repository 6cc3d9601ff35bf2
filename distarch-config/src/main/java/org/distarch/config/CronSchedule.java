package org.distarch.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code restart_cron} expression: the five fields of Unix cron (minute, hour, day of month, month, day of
 * week; e.g. {@code 0 4 * * *} for 04:00 every day), in the master's time zone. Parsed and checked with
 * cron-utils when the configuration is loaded.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, Cron cron) {
        this.expression = expression;
        this.times = ExecutionTime.forCron(cron);
    }

    /** @throws IllegalArgumentException with the parser's reason when {@code expression} is not a cron expression */
    public static CronSchedule parse(String expression) {
        String text = expression.trim();
        try {
            Cron cron = PARSER.parse(text);
            cron.validate();
            return new CronSchedule(text, cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
        }
    }

    public String expression() {
        return expression;
    }

    /** The first time after {@code after} that the expression names; empty if none ever comes. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        return times.nextExecution(after);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule c && c.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression);
    }

    @Override
    public String toString() {
        return expression;
    }
}
