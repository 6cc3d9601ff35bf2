package org.distarch.testkit;

import org.distarch.worker.WorkerContext;

/**
 * Expands {@code {id}}, {@code {groupId}}, {@code {groupCount}}, {@code {group}}, {@code {host}}
 * and {@code {param:NAME}} (empty when the param is missing). Other braces stay as they are.
 */
final class Placeholders {

    private Placeholders() {}

    static String expand(String text, WorkerContext context) {
        if (text.indexOf('{') < 0) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length() + 16);
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            int close = open < 0 ? -1 : text.indexOf('}', open + 1);
            if (close < 0) {
                result.append(text, at, text.length());
                break;
            }
            String value = value(text.substring(open + 1, close), context);
            if (value == null) {
                result.append(text, at, open + 1);
                at = open + 1;
            } else {
                result.append(text, at, open).append(value);
                at = close + 1;
            }
        }
        return result.toString();
    }

    private static String value(String name, WorkerContext context) {
        switch (name) {
            case "id": return String.valueOf(context.id());
            case "groupId": return String.valueOf(context.groupId());
            case "groupCount": return String.valueOf(context.groupCount());
            case "group": return context.groupName();
            case "host": return context.host();
            default:
                if (name.startsWith("param:")) {
                    Object value = context.params().get(name.substring("param:".length()));
                    return value == null ? "" : String.valueOf(value);
                }
                return null;
        }
    }
}
