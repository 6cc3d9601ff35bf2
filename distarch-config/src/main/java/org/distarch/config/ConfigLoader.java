package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
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
