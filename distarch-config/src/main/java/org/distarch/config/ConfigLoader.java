package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads {@code config/packages/distributed_architecture.yaml}: size and line length checked on the raw text
 * ({@link TextLimits}), YAML to a tree (reporting duplicate keys and
 * syntax errors with their position), {@code ${ENV}} substitution in string values, then validation against
 * the key table, all errors of one file reported together in a {@link ConfigException}.
 *
 * <pre>{@code
 * DistarchConfig config = ConfigLoader.load(Path.of(ConfigLoader.DEFAULT_PATH));
 * }</pre>
 */
public final class ConfigLoader {

    /** Where the configuration is looked for, relative to the working directory, as in the original. */
    public static final String DEFAULT_PATH = "config/packages/distributed_architecture.yaml";

    /** Turns plain maps, lists and scalars into a tree; no modules, no type information. */
    private static final ObjectMapper TREE = new ObjectMapper();

    private ConfigLoader() {}

    /** Loads and validates {@code file}, with environment variables from {@link System#getenv(String)}. */
    public static DistarchConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** Loads and validates {@code file}, looking environment variables up with {@code env}. */
    public static DistarchConfig load(Path file, Function<String, String> env) {
        Objects.requireNonNull(file, "file");
        return parse(read(file), file.toString(), env);
    }

    /** Validates {@code yamlText}; {@code sourceName} names it in error messages. Uses the process environment. */
    public static DistarchConfig parse(String yamlText, String sourceName) {
        return parse(yamlText, sourceName, System::getenv);
    }

    /** Validates {@code yamlText}; {@code sourceName} names it in error messages; {@code env} gives variables. */
    public static DistarchConfig parse(String yamlText, String sourceName, Function<String, String> env) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        String tooLarge = TextLimits.check(yamlText);
        if (tooLarge != null) {
            throw failure(sourceName, tooLarge);
        }
        Problems problems = new Problems(sourceName);
        JsonNode root = YamlTree.read(yamlText, problems);
        if (root == null && !problems.isEmpty()) {
            problems.throwIfAny(); // a syntax error: there is no tree to check further
        }
        if (root != null) {
            new EnvSubstitution(env, problems).resolveTree(root, KeyPath.ROOT);
        }
        DistarchConfig config = new ConfigValidator(problems).validate(root);
        problems.throwIfAny();
        return config;
    }

    /**
     * Validates a configuration that another framework has already read, such as the
     * {@code distributed-architecture:} section of a Spring Boot {@code application.yaml}: {@code section} is
     * the content of that key (maps, lists and scalars), validated by the same rules and with the same key-path
     * errors as a file. Keys may be given in relaxed forms ({@code instances-count}, {@code instancesCount});
     * group names and {@code params} are kept as given. {@code ${NAME}} values are resolved with {@code env}.
     *
     * @param section    the settings under the root key, as plain {@code Map}s, {@code List}s and scalars
     * @param sourceName names the source in error messages (e.g. {@code application.yaml})
     * @throws ConfigException with every error found
     */
    public static DistarchConfig fromTree(Map<String, ?> section, String sourceName, Function<String, String> env) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        Problems problems = new Problems(sourceName);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        JsonNode top;
        try {
            top = TREE.valueToTree(section);
        } catch (IllegalArgumentException e) {
            throw failure(sourceName, "cannot read the settings: " + Scalars.plainWords(e.getMessage()));
        }
        root.set(Schema.ROOT_KEY, top);
        if (top instanceof ObjectNode map) {
            new RelaxedKeys(problems).canonicalize(map, Schema.TOP, KeyPath.ROOT.key(Schema.ROOT_KEY));
        }
        new EnvSubstitution(env, problems).resolveTree(root, KeyPath.ROOT);
        DistarchConfig config = new ConfigValidator(problems).validate(root);
        problems.throwIfAny();
        return config;
    }

    private static String read(Path file) {
        String source = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw failure(source, "is a directory, not a configuration file");
            }
            String tooLarge = TextLimits.fileTooLarge(Files.size(file));
            if (tooLarge != null) {
                throw failure(source, tooLarge);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(TextLimits.MAX_FILE_BYTES + 1); // the file may grow while it is read
            }
            tooLarge = TextLimits.fileTooLarge(bytes.length);
            if (tooLarge != null) {
                throw failure(source, tooLarge);
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw failure(source, "configuration file not found: " + file.toAbsolutePath().normalize());
        } catch (AccessDeniedException e) {
            throw failure(source, "cannot read the configuration file (permission denied): "
                    + file.toAbsolutePath().normalize());
        } catch (CharacterCodingException e) {
            throw failure(source, "the configuration file is not valid UTF-8");
        } catch (IOException e) {
            throw failure(source, "cannot read the configuration file: " + Scalars.plainWords(e.getMessage()));
        }
    }

    private static ConfigException failure(String source, String message) {
        return new ConfigException(List.of(ConfigError.at(source, "", message)));
    }
}
