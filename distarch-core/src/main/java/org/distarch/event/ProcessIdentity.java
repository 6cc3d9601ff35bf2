package org.distarch.event;

/**
 * Who a process instance is: global id (1.. across all groups, in configuration order), id inside its
 * group, the group's instance count, group name, host ("localhost" for local) and the command it runs.
 */
public record ProcessIdentity(
        int id, int groupId, int groupCount, String group, String host, String command, ProcessRole role) {

    /** {@code command/id/groupId}, or {@code Feeder - command/id/groupId} in queue groups. */
    public String display() {
        return role.displayPrefix() + command + "/" + id + "/" + groupId;
    }
}
