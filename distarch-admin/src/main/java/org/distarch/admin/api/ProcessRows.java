package org.distarch.admin.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.distarch.control.ProcessStatus;
import org.distarch.event.ExitStatus;

/**
 * The process list of {@code GET /api/v1/processes}: filtered on the server, sorted by any column
 * ({@code sort=state,-uptimeMillis}: a minus sorts descending; ties keep the id order), paged with
 * {@code offset} and {@code limit}. A row is the control plane's {@link ProcessStatus} plus {@code uptimeMillis}.
 */
final class ProcessRows {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("state", "group", "host", "command", "q", "sort", "offset", "limit");

    /** Every column a list can be sorted by: each field of a row. */
    static final Map<String, Function<Row, Comparable<?>>> COLUMNS = columns();

    /** A process and the moment its uptime is measured at. */
    record Row(ProcessStatus status, long now) {
        long uptimeMillis() {
            return status.pid() > 0 && status.startedAtMillis() > 0 ? Math.max(0, now - status.startedAtMillis()) : 0;
        }
    }

    /**
     * A row as the API writes it: the process's fields in their order, then {@code uptimeMillis}. Written straight
     * to the answer, where a tree per row (as {@link #row} builds) cost more than the rest of the list.
     */
    record Item(@JsonUnwrapped ProcessStatus status, long uptimeMillis) {}

    /** A page of the list. */
    record Page(int total, int offset, int limit, List<Item> items) {}

    private ProcessRows() {}

    static Page page(List<ProcessStatus> processes, Map<String, List<String>> query, long now) {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("unknown parameter \"" + name + "\"; known: "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
        }
        ProcessFilter filter = ProcessFilter.of(query);
        Comparator<Row> order = order(ProcessFilter.single(query, "sort"));
        int offset = number(query, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = number(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        List<Row> rows = new ArrayList<>();
        for (ProcessStatus p : processes) {
            if (filter.matches(p)) {
                rows.add(new Row(p, now));
            }
        }
        rows.sort(order);
        List<Item> items = new ArrayList<>();
        for (int i = offset; i < rows.size() && i < (long) offset + limit; i++) {
            items.add(item(rows.get(i).status(), now));
        }
        return new Page(rows.size(), offset, limit, items);
    }

    static Item item(ProcessStatus p, long now) {
        return new Item(p, new Row(p, now).uptimeMillis());
    }

    /** A row as a tree, as the event stream sends it inside its messages; the same fields as an {@link Item}. */
    static ObjectNode row(ProcessStatus p, long now) {
        ObjectNode row = Json.MAPPER.valueToTree(p);
        row.put("uptimeMillis", new Row(p, now).uptimeMillis());
        return row;
    }

    private static Comparator<Row> order(String sort) {
        Comparator<Row> byId = Comparator.comparingInt(r -> r.status().id());
        if (sort == null) {
            return byId;
        }
        Comparator<Row> order = null;
        for (String part : sort.split(",")) {
            boolean descending = part.startsWith("-");
            String column = descending ? part.substring(1) : part;
            Function<Row, Comparable<?>> key = COLUMNS.get(column);
            if (key == null) {
                throw ApiException.badRequest("cannot sort by \"" + column + "\"; columns: "
                        + String.join(", ", COLUMNS.keySet()));
            }
            Comparator<Row> one = Comparator.comparing(r -> comparable(key.apply(r)),
                    Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()));
            one = descending ? one.reversed() : one;
            order = order == null ? one : order.thenComparing(one);
        }
        return order.thenComparing(byId);
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Comparable<?> value) {
        return (Comparable<Object>) value;
    }

    private static int number(Map<String, List<String>> query, String name, int min, int max, int fallback) {
        String text = ProcessFilter.single(query, name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max + " (got " + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number (got \"" + text + "\")");
        }
    }

    private static Map<String, Function<Row, Comparable<?>>> columns() {
        Map<String, Function<Row, Comparable<?>>> columns = new LinkedHashMap<>();
        for (RecordComponent component : ProcessStatus.class.getRecordComponents()) {
            columns.put(component.getName(), row -> {
                try {
                    Object value = component.getAccessor().invoke(row.status());
                    if (value instanceof ExitStatus exit) {
                        return exit.signal() > 0 ? 1000 + exit.signal() : exit.code();
                    }
                    return (Comparable<?>) value;
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        columns.put("uptimeMillis", Row::uptimeMillis);
        return java.util.Collections.unmodifiableMap(columns);
    }
}
