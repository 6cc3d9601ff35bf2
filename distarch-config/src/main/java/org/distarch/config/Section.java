package org.distarch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys allowed in one kind of map of the configuration, in the order the reference prints them. */
record Section(String name, List<Key> keys) {

    Section {
        keys = List.copyOf(keys);
        Map<String, Key> seen = new LinkedHashMap<>();
        for (Key key : keys) {
            if (seen.put(key.name(), key) != null) {
                throw new IllegalArgumentException(name + ": key " + key.name() + " declared twice");
            }
        }
    }

    static Section of(String name, Key... keys) {
        return new Section(name, List.of(keys));
    }

    /** The declared key {@code name}; asking for an undeclared key is a bug of the caller. */
    Key key(String name) {
        for (Key key : keys) {
            if (key.name().equals(name)) {
                return key;
            }
        }
        throw new IllegalStateException("section " + this.name + " declares no key " + name);
    }

    boolean declares(String name) {
        return keys.stream().anyMatch(key -> key.name().equals(name));
    }

    List<String> names() {
        return keys.stream().map(Key::name).toList();
    }
}
