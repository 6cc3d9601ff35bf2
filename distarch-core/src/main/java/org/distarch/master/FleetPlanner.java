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
import org.distarch.config.GroupConfig;
import org.distarch.config.ProcessSettings;
import org.distarch.config.QueueGroupConfig;
import org.distarch.config.RemoteEntry;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.RemoteTarget;
import org.distarch.supervise.InstancePlan;
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
        for (QueueGroupConfig q : config.queueGroups()) {
            throw new UnsupportedConfigException("queue group \"" + q.name() + "\": queue groups (feeder and "
                    + "consumers) are not supported by this version yet");
        }
        List<InstancePlan> plans = new ArrayList<>();
        int id = 1;
        for (GroupConfig g : config.groups()) {
            int count = (g.local() == null ? 0 : g.local().instancesCount())
                    + g.remote().stream().mapToInt(r -> r.instancesCount() * r.hosts().size()).sum();
            int groupId = 1;
            if (g.local() != null) {
                ProcessSettings settings = g.settings().overriddenBy(g.local().settings());
                for (int i = 0; i < g.local().instancesCount(); i++) {
                    plans.add(instance(g, settings, new ProcessIdentity(id++, groupId++, count, g.name(), LOCAL_HOST,
                            g.command(), ProcessRole.WORKER), null));
                }
            }
            for (int entry = 0; entry < g.remote().size(); entry++) {
                RemoteEntry r = g.remote().get(entry);
                ProcessSettings settings = g.settings().overriddenBy(r.settings());
                for (String host : r.hosts()) {
                    RemoteTarget target = new RemoteTarget(host, r.username(), r.privateKey(), entry);
                    for (int i = 0; i < r.instancesCount(); i++) {
                        plans.add(instance(g, settings, new ProcessIdentity(id++, groupId++, count, g.name(), host,
                                g.command(), ProcessRole.WORKER), target));
                    }
                }
            }
        }
        return plans;
    }

    private InstancePlan instance(GroupConfig group, ProcessSettings settings, ProcessIdentity identity,
            RemoteTarget target) {
        Duration timeout = settings.timeoutSeconds() == null ? DEFAULT_TIMEOUT
                : Duration.ofSeconds(settings.timeoutSeconds());
        List<String> command = new ArrayList<>();
        if (settings.binPath() != null) {
            command.add(settings.binPath());
        } else {
            command.addAll(self.words());
        }
        command.addAll(CommandWords.split(group.command()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put(WorkerEnv.ID, Integer.toString(identity.id()));
        env.put(WorkerEnv.GROUP_ID, Integer.toString(identity.groupId()));
        env.put(WorkerEnv.GROUP_COUNT, Integer.toString(identity.groupCount()));
        env.put(WorkerEnv.GROUP_NAME, identity.group());
        env.put(WorkerEnv.PARAMS, paramsJson(group.params()));
        env.put(WorkerEnv.HOST, identity.host());
        env.put(WorkerEnv.TIMEOUT, Long.toString(timeout.toSeconds()));
        env.put(WorkerEnv.COMMAND, identity.display());
        env.put(WorkerEnv.PROTOCOL, "1");
        env.put(WorkerEnv.MASTER_PID, Long.toString(ProcessHandle.current().pid()));
        // A remote instance runs in the same directory as the master unless told otherwise: same layout everywhere.
        Path dir = settings.path() != null ? Path.of(settings.path())
                : target != null ? Path.of("").toAbsolutePath() : null;
        LaunchSpec spec = new LaunchSpec(command, dir, env, settings.priority());
        return new InstancePlan(identity, spec, timeout, group.stopTimeout(), group.restart(), group.maxMemoryBytes(),
                target);
    }

    private String paramsJson(Map<String, Object> params) {
        try {
            return json.writeValueAsString(params == null ? Map.of() : params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("params cannot be written as JSON", e);
        }
    }
}
