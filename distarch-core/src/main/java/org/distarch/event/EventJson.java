package org.distarch.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@link EventCodec}'s Jackson side: the strict mapper (times and durations as integer milliseconds, no
 * silent coercions, duplicate keys refused, shallow nesting) and the translation of Jackson's exceptions into
 * reasons that name the field and what it should be, never a Jackson class.
 */
final class EventJson {

    static final JsonMapper MAPPER = mapper();

    private EventJson() {}

    static String reason(JacksonException e, Class<?> type) {
        String where = e instanceof JsonMappingException m ? path(m) : "";
        String at = where.isEmpty() ? "" : "field \"" + where + "\": ";
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Missing required creator property '")) {
            String field = message.substring(35, Math.max(35, message.indexOf('\'', 35)));
            return "missing field \"" + (where.isEmpty() ? "" : where + ".") + field + "\"";
        }
        if (message.startsWith(EXPECTED)) {
            return at + "expected " + message.substring(EXPECTED.length());
        }
        Class<?> declared = e instanceof JsonMappingException m ? declaredType(type, m) : null;
        if (declared != null && declared.isEnum()) {
            return at + "expected " + describe(declared);
        }
        if (e instanceof StreamConstraintsException) {
            return at + "value too long";
        }
        if (e instanceof InputCoercionException || e.getCause() instanceof InputCoercionException) {
            return at + "number out of range";
        }
        if (e instanceof ValueInstantiationException) {
            return at + "invalid value";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return at + "expected " + describe(m.getTargetType());
        }
        return at + "invalid value";
    }

    /** The type of the record component at the exception's path, or null. */
    private static Class<?> declaredType(Class<?> type, JsonMappingException e) {
        Class<?> t = type;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() == null || !t.isRecord()) {
                return null;
            }
            Class<?> next = null;
            for (RecordComponent c : t.getRecordComponents()) {
                if (c.getName().equals(r.getFieldName())) {
                    next = c.getType();
                }
            }
            if (next == null) {
                return null;
            }
            t = next;
        }
        return t == type ? null : t;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(shorten(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        return "an object";
    }

    /** A parser's message, without anything that names Jackson's classes. */
    static String clean(String message) {
        if (message == null || message.contains("com.fasterxml") || message.contains("Jackson")
                || message.contains("`")) {
            return "malformed";
        }
        return shorten(message);
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static final String EXPECTED = "expected: ";

    private static JsonMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        SimpleModule strictTime = new SimpleModule("distarch-event-time");
        strictTime.addDeserializer(Instant.class, new MillisDeserializer<>(Instant.class, "epoch milliseconds (an integer)") {
            @Override
            Instant of(long millis) {
                return Instant.ofEpochMilli(millis);
            }
        });
        strictTime.addDeserializer(Duration.class, new MillisDeserializer<>(Duration.class,
                "milliseconds (a non-negative integer)") {
            @Override
            Duration of(long millis) {
                if (millis < 0) {
                    throw new IllegalArgumentException();
                }
                return Duration.ofMillis(millis);
            }
        });
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(strictTime) // after JavaTimeModule: these win
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // no silent conversions: "5" is not a number, 5 is not a string, 1 is not true
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    /** An integer number of milliseconds, nothing else (no strings, no decimal seconds). */
    private abstract static class MillisDeserializer<T> extends StdScalarDeserializer<T> {
        private final String what;

        MillisDeserializer(Class<T> type, String what) {
            super(type);
            this.what = what;
        }

        abstract T of(long millis);

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return fail(ctxt);
            }
            try {
                return of(p.getLongValue());
            } catch (ArithmeticException | java.time.DateTimeException | IllegalArgumentException e) {
                return fail(ctxt);
            }
        }

        private T fail(DeserializationContext ctxt) throws IOException {
            return ctxt.reportInputMismatch(this, EXPECTED + what);
        }
    }
}
