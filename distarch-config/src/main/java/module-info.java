/**
 * The configuration: the seed's YAML format read into immutable, validated records, with errors that name
 * the file, the key path and what is wrong (docs/configuration.md). Public API: {@code org.distarch.config}.
 */
module org.distarch.config {
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;
    requires com.cronutils; // restart_cron: parsed and checked at load, next times for the master

    exports org.distarch.config;
}
