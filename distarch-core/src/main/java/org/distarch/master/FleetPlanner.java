package org.distarch.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distarch.config.DistarchConfig;
import org.distarch.config.FeederConfig;
import org.distarch.config.GroupConfig;
import org.distarch.config.LocalConsumers;
import org.distarch.config.LogsConfig;
import org.distarch.config.QueueSettings;
import org.distarch.config.RemoteConsumers;
import org.distarch.config.RestartConfig;
import org.distarch.config.RunOptions;
import org.distarch.config.ProcessSettings;
import org.distarch.config.QueueGroupConfig;
import org.distarch.config.RemoteEntry;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.RemoteTarget;
import org.distarch.supervise.InstancePlan;
import org.distarch.worker.protocol.QueueEnv;
import org.distarch.worker.protocol.QueueSocket;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * Turns a configuration into the list of instances to run: global ids in configuration order (groups,
 * then queue groups; local instances, then each remote entry host by host), the settings each one
 * inherits (entry, else group, else the master's own), and the environment that tells a worker who it is.
 */
final class FleetPlanner {

    static final String LOCAL_HOST = "localhost";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final SelfCommand self;
    private final ObjectMapper json = new ObjectMapper();

    FleetPlanner(SelfCommand self) {
        this.self = self;
    }

    List<InstancePlan> plan(DistarchConfig config) {
        return plan(config, System.getenv());
    }

    /** @param masterEnv the master's environment, where queue groups find their secrets */
    List<InstancePlan> plan(DistarchConfig config, Map<String, String> masterEnv) {
        List<InstancePlan> plans = new ArrayList<>();
        int id = 1;
        for (GroupConfig g : config.groups()) {
            int count = (g.local() == null ? 0 : g.local().instancesCount())
                    + g.remote().stream().mapToInt(r -> r.instancesCount() * r.hosts().size()).sum();
            int groupId = 1;
            if (g.local() != null) {
                ProcessSettings settings = g.settings().overriddenBy(g.local().settings());
                for (int i = 0; i < g.local().instancesCount(); i++) {
                    plans.add(instance(Group.of(g), settings, new ProcessIdentity(id++, groupId++, count, g.name(),
                            LOCAL_HOST, g.command(), ProcessRole.WORKER), null, Map.of()));
                }
            }
            for (int entry = 0; entry < g.remote().size(); entry++) {
                RemoteEntry r = g.remote().get(entry);
                ProcessSettings settings = g.settings().overriddenBy(r.settings());
                for (String host : r.hosts()) {
                    RemoteTarget target = new RemoteTarget(host, r.username(), r.privateKey(), entry);
                    for (int i = 0; i < r.instancesCount(); i++) {
                        plans.add(instance(Group.of(g), settings, new ProcessIdentity(id++, groupId++, count, g.name(),
                                host, g.command(), ProcessRole.WORKER), target, Map.of()));
                    }
                }
            }
        }
        for (QueueGroupConfig q : config.queueGroups()) {
            id = planQueueGroup(q, id, masterEnv, plans);
        }
        return plans;
    }

    /**
     * The feeder first (the seed gives it the group's first id), then local consumers, then each remote entry
     * host by host. Consumers on the feeder's own machine that point at its port also get its UNIX socket
     * (consumers pointing at another port mean another feeder).
     */
    private int planQueueGroup(QueueGroupConfig q, int id, Map<String, String> masterEnv, List<InstancePlan> plans) {
        Group group = Group.of(q);
        FeederConfig f = q.feeder();
        int count = 1 + (q.localConsumers() == null ? 0 : q.localConsumers().instancesCount())
                + q.remoteConsumers().stream().mapToInt(r -> r.instancesCount() * r.hosts().size()).sum();
        String feederHost = f.isRemote() ? f.host() : LOCAL_HOST;
        String feederUser = f.isRemote() && f.username() != null ? f.username() : System.getProperty("user.name");
        String socket = QueueSocket.path(feederUser, f.port());
        Map<String, String> common = queueEnv(q.queue(), masterEnv);
        int groupId = 1;

        Map<String, String> feederEnv = new LinkedHashMap<>(common);
        feederEnv.put(QueueEnv.ROLE, QueueEnv.FEEDER);
        feederEnv.put(QueueEnv.HOST, f.bindTo());
        feederEnv.put(QueueEnv.PORT, Integer.toString(f.port()));
        feederEnv.put(QueueEnv.SOCKET, socket);
        // Leave the feeder a second of its stop timeout to report what is still due before the master kills it.
        feederEnv.put(QueueEnv.DRAIN_MILLIS, Long.toString(Math.max(500, q.stopTimeout().toMillis() - 1000)));
        RemoteTarget feederTarget = f.isRemote() ? new RemoteTarget(f.host(), f.username(), f.privateKey(), 0) : null;
        plans.add(instance(group, q.settings().overriddenBy(f.settings()), new ProcessIdentity(id++, groupId++, count,
                q.name(), feederHost, q.command(), ProcessRole.FEEDER), feederTarget, feederEnv));

        if (q.localConsumers() != null) {
            LocalConsumers c = q.localConsumers();
            Map<String, String> env = consumerEnv(common, c.host(), c.port(),
                    !f.isRemote() && c.port() == f.port() ? socket : null);
            ProcessSettings settings = q.settings().overriddenBy(c.settings());
            for (int i = 0; i < c.instancesCount(); i++) {
                plans.add(instance(group, settings, new ProcessIdentity(id++, groupId++, count, q.name(), LOCAL_HOST,
                        q.command(), ProcessRole.CONSUMER), null, env));
            }
        }
        for (int entry = 0; entry < q.remoteConsumers().size(); entry++) {
            RemoteConsumers r = q.remoteConsumers().get(entry);
            ProcessSettings settings = q.settings().overriddenBy(r.settings());
            for (String host : r.hosts()) {
                boolean sameMachine = f.isRemote() && host.equals(f.host()) && r.port() == f.port();
                Map<String, String> env = consumerEnv(common, r.host(), r.port(), sameMachine ? socket : null);
                RemoteTarget target = new RemoteTarget(host, r.username(), r.privateKey(), entry + 1);
                for (int i = 0; i < r.instancesCount(); i++) {
                    plans.add(instance(group, settings, new ProcessIdentity(id++, groupId++, count, q.name(), host,
                            q.command(), ProcessRole.CONSUMER), target, env));
                }
            }
        }
        return id;
    }

    private static Map<String, String> queueEnv(QueueSettings queue, Map<String, String> masterEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(QueueEnv.PREFETCH, Integer.toString(queue.prefetch()));
        env.put(QueueEnv.MAX_ATTEMPTS, Integer.toString(queue.maxAttempts()));
        env.put(QueueEnv.EMPTY_INTERVAL_MILLIS, Long.toString(Math.max(1, queue.emptyInterval().toMillis())));
        env.put(QueueEnv.MAX_FRAME, Integer.toString(queue.maxFrameBytes()));
        env.put(QueueEnv.NETWORK_TIMEOUT_MILLIS, Long.toString(queue.networkTimeout().toMillis()));
        String secret = masterEnv.get(queue.secretEnv());
        if (secret != null && !secret.isEmpty()) {
            env.put(QueueEnv.SECRET, secret);
        }
        return env;
    }

    private static Map<String, String> consumerEnv(Map<String, String> common, String host, int port, String socket) {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put(QueueEnv.ROLE, QueueEnv.CONSUMER);
        env.put(QueueEnv.HOST, host);
        env.put(QueueEnv.PORT, Integer.toString(port));
        if (socket != null) {
            env.put(QueueEnv.SOCKET, socket);
        }
        return env;
    }

    /** What plain groups and queue groups share for planning. */
    private record Group(String name, String command, Map<String, Object> params, RestartConfig restart,
            Duration stopTimeout, Long maxMemoryBytes, RunOptions run, LogsConfig logs) {
        static Group of(GroupConfig g) {
            return new Group(g.name(), g.command(), g.params(), g.restart(), g.stopTimeout(), g.maxMemoryBytes(),
                    g.run(), g.logs());
        }

        static Group of(QueueGroupConfig q) {
            return new Group(q.name(), q.command(), q.params(), q.restart(), q.stopTimeout(), null, q.run(), q.logs());
        }
    }

    private InstancePlan instance(Group group, ProcessSettings settings, ProcessIdentity identity,
            RemoteTarget target, Map<String, String> extraEnv) {
        Duration timeout = settings.timeoutSeconds() == null ? DEFAULT_TIMEOUT
                : Duration.ofSeconds(settings.timeoutSeconds());
        List<String> command = new ArrayList<>();
        if (settings.binPath() != null) {
            command.add(settings.binPath());
        } else {
            command.addAll(self.words());
        }
        command.addAll(CommandWords.split(group.command()));
        // The group's own variables first: the DA_ ones (refused in the file) always say who the worker is.
        Map<String, String> env = new LinkedHashMap<>(group.run().environment());
        env.put(WorkerEnv.ID, Integer.toString(identity.id()));
        env.put(WorkerEnv.GROUP_ID, Integer.toString(identity.groupId()));
        env.put(WorkerEnv.GROUP_COUNT, Integer.toString(identity.groupCount()));
        env.put(WorkerEnv.GROUP_NAME, identity.group());
        env.put(WorkerEnv.GROUP_COMMAND, group.command());
        putIfSet(env, WorkerEnv.PATH, settings.path());
        putIfSet(env, WorkerEnv.BIN_PATH, settings.binPath());
        putIfSet(env, WorkerEnv.PRIORITY, settings.priority());
        env.put(WorkerEnv.PARAMS, paramsJson(group.params()));
        env.put(WorkerEnv.HOST, identity.host());
        env.put(WorkerEnv.TIMEOUT, Long.toString(timeout.toSeconds()));
        env.put(WorkerEnv.COMMAND, identity.display());
        env.put(WorkerEnv.PROTOCOL, "1");
        env.put(WorkerEnv.MASTER_PID, Long.toString(ProcessHandle.current().pid()));
        env.putAll(extraEnv);
        // A remote instance runs in the same directory as the master unless told otherwise: same layout everywhere.
        Path dir = settings.path() != null ? Path.of(settings.path())
                : target != null ? Path.of("").toAbsolutePath() : null;
        RunOptions run = group.run();
        LaunchSpec spec = new LaunchSpec(command, dir, env, settings.priority(), run.stopSignal(), run.user(),
                run.umask());
        return new InstancePlan(identity, spec, timeout, group.stopTimeout(), group.restart(), group.maxMemoryBytes(),
                target, run, group.logs());
    }

    private static void putIfSet(Map<String, String> env, String name, Object value) {
        if (value != null) {
            env.put(name, value.toString());
        }
    }

    private String paramsJson(Map<String, Object> params) {
        try {
            return json.writeValueAsString(params == null ? Map.of() : params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("params cannot be written as JSON", e);
        }
    }
}
