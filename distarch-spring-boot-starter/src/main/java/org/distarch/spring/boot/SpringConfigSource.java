package org.distarch.spring.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.distarch.config.ConfigError;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The fleet's configuration in a Spring Boot application: the file {@code distarch.config-file} names (the
 * seed's format), else the {@code distributed-architecture:} section of {@code application.yaml} (the seed's
 * {@code distributed_architecture:} is accepted as well), with the seed's keys in any relaxed spelling. Both
 * go through the same validator as {@code run-master --config}, with the same key-path errors; read anew on
 * every call (a reload re-reads the environment's sources as they are).
 */
public final class SpringConfigSource implements Supplier<DistarchConfig> {

    /** The prefixes the fleet's settings are read under. */
    public static final List<String> PREFIXES = List.of("distributed-architecture", "distributed_architecture");

    private final ConfigurableEnvironment environment;
    private final DistarchProperties properties;

    public SpringConfigSource(ConfigurableEnvironment environment, DistarchProperties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    /**
     * @throws ConfigException when the configuration is invalid or missing; its message names the source, the
     *                         key path and what is wrong, one line per error
     */
    @Override
    public DistarchConfig get() {
        if (properties.getConfigFile() != null && !properties.getConfigFile().isBlank()) {
            return ConfigLoader.load(Path.of(properties.getConfigFile()));
        }
        PropertyTree.Found found = PropertyTree.read(environment, PREFIXES).orElseThrow(() -> new ConfigException(
                List.of(ConfigError.at("application.yaml", "", "no distarch configuration: give the fleet under "
                        + "\"distributed-architecture:\" or name a seed-format file with distarch.config-file"))));
        return ConfigLoader.fromTree(found.tree(), found.source(), System::getenv);
    }
}
