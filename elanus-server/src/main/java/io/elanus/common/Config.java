package io.elanus.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameter table (Milvus's paramtable): values from a {@code milvus.yaml}-style file, then
 * environment variables, then explicit overrides (command-line flags), over the defaults in
 * {@link Params}. Keys under a group prefix ({@link Params#KAFKA_PRODUCER_GROUP}, ...) are kept as
 * given, from the file and the overrides. Unknown keys are logged and ignored; values that do not
 * parse are refused at load time with the key named. Immutable after construction.
 */
public final class Config {
    private static final Logger LOG = LoggerFactory.getLogger(Config.class);

    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = values;
    }

    public static Config defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * @param yamlFile  optional config file (nested YAML, flattened to dotted keys)
     * @param env       environment variables (pass {@code System.getenv()})
     * @param overrides highest-priority values by key
     * @throws IllegalArgumentException naming every key with a bad value
     */
    public static Config load(Path yamlFile, Map<String, String> env, Map<String, String> overrides) {
        Map<String, ParamKey> known = new HashMap<>();
        Params.ALL.forEach(k -> known.put(k.key(), k));
        Map<String, String> values = new TreeMap<>();
        Params.ALL.forEach(k -> values.put(k.key(), k.defaultValue()));
        List<String> errors = new ArrayList<>();

        if (yamlFile != null) {
            Map<String, String> fromFile = readYaml(yamlFile);
            fromFile.forEach((k, v) -> {
                if (known.containsKey(k) || inGroup(k)) {
                    values.put(k, v);
                } else {
                    LOG.warn("ignoring unknown configuration key '{}' in {}", k, yamlFile);
                }
            });
        }
        for (ParamKey k : Params.ALL) {
            String v = env.get(k.envName());
            if (v != null) {
                values.put(k.key(), v);
            }
        }
        overrides.forEach((k, v) -> {
            if (!known.containsKey(k) && !inGroup(k)) {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'");
            }
            values.put(k, v);
        });
        for (ParamKey k : Params.ALL) {
            String err = k.check(values.get(k.key()));
            if (err != null) {
                errors.add(err);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("bad configuration: " + String.join("; ", errors));
        }
        return new Config(Map.copyOf(values));
    }

    private static boolean inGroup(String key) {
        return Params.GROUPS.stream().anyMatch(g -> key.startsWith(g) && key.length() > g.length());
    }

    /** The keys under {@code prefix} (one of the Params groups), without the prefix. */
    public Map<String, String> group(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static Map<String, String> readYaml(Path file) {
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> flat = new TreeMap<>();
        if (root instanceof Map<?, ?> m) {
            flatten("", m, flat);
        } else if (root != null) {
            throw new IllegalArgumentException("configuration file " + file + " must hold a YAML mapping");
        }
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key, nested, out);
            } else if (e.getValue() instanceof List<?> list) {
                out.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }

    /** The cluster-only keys set to something other than their default (the standalone server warns about them). */
    public java.util.List<String> nonDefaultClusterSettings() {
        return Params.CLUSTER_ONLY.stream().filter(k -> !k.defaultValue().equals(get(k)))
                .map(k -> k.key() + "=" + get(k)).toList();
    }

    public String get(ParamKey key) {
        return values.get(key.key());
    }

    public int getInt(ParamKey key) {
        return Integer.parseInt(get(key).trim());
    }

    public boolean getBool(ParamKey key) {
        return Boolean.parseBoolean(get(key).trim());
    }

    public double getDouble(ParamKey key) {
        return Double.parseDouble(get(key).trim());
    }

    public long getLong(ParamKey key) {
        return Long.parseLong(get(key).trim());
    }
}
