package org.distarch.config;

/**
 * The text of {@code distarch config:dump-reference}: every key as an annotated YAML skeleton, with its default
 * and a one-line explanation, in the manner of Symfony's {@code config:dump-reference}. It is printed from the
 * same {@link Schema} table the validator reads, so it always describes what the loader accepts.
 */
public final class ConfigReference {

    private static final String INDENT = "    ";
    private static final int VALUE_COLUMN = 22;

    private ConfigReference() {}

    /** The annotated reference configuration, as YAML that ends with a newline. */
    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Reference configuration of distarch (").append(ConfigLoader.DEFAULT_PATH).append(").\n")
                .append("# Each key shows its default; \"~\" means not set (inherited from the group, else the\n")
                .append("# built-in behaviour). Keys are optional unless marked Required. Unknown keys are errors.\n")
                .append("# String values may use ${NAME} or ${NAME:-default} for environment variables\n")
                .append("# (write $${ for a literal ${); numbers may come from them too, e.g. port: ${PORT:-9999}.\n");
        section(out, Schema.FILE, "");
        return out.toString();
    }

    private static void section(StringBuilder out, Section section, String indent) {
        boolean afterNested = false;
        for (Key key : section.keys()) {
            boolean nested = key.section() != null;
            if (nested || afterNested) {
                out.append('\n');
            }
            key(out, key, indent);
            afterNested = nested;
        }
    }

    private static void key(StringBuilder out, Key key, String indent) {
        String nested = indent + INDENT;
        switch (key.kind()) {
            case MAP -> {
                comment(out, indent, key.description() + (key.required() ? " Required." : ""));
                out.append(indent).append(key.name()).append(":\n");
                section(out, key.section(), nested);
            }
            case LIST -> {
                comment(out, indent, key.description());
                out.append(indent).append(key.name()).append(":\n");
                comment(out, nested, key.section().name().equals("token") ? "Prototype: one element per token"
                        : "Prototype: one element per set of hosts");
                out.append(nested).append("-\n");
                section(out, key.section(), nested + INDENT);
            }
            case NAMED -> {
                comment(out, indent, key.description());
                out.append(indent).append(key.name()).append(":\n");
                comment(out, nested, key.section().name().equals("user") ? "Prototype: the key is the user's name"
                        : "Prototype: the key is the group's name");
                out.append(nested).append("name:\n");
                section(out, key.section(), nested + INDENT);
            }
            default -> {
                comment(out, indent, key.description());
                String line = indent + key.name() + ":";
                out.append(line).append(" ".repeat(Math.max(1, indent.length() + VALUE_COLUMN - line.length())))
                        .append(key.defaultText()).append(" # ").append(key.required() ? "Required, " : "")
                        .append(key.rule()).append('\n');
            }
        }
    }


    private static void comment(StringBuilder out, String indent, String text) {
        out.append(indent).append("# ").append(text).append('\n');
    }
}
