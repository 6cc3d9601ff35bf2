package org.distarch.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CensusTest {

    private static Census.Proc proc(long pid, long ppid, int id, String comm) {
        return new Census.Proc(pid, ppid, 'S', Census.LOCAL, "Slow", id, null, comm, false, ppid == 1);
    }

    @Test
    void aWorkersOwnChildrenBelongToItsCopy() {
        Map<Integer, List<Census.Proc>> instances = Census.instances(List.of(
                proc(100, 1, 3, "sh"), proc(101, 100, 3, "java"), proc(102, 101, 3, "sh")));

        assertThat(instances.get(3)).extracting(Census.Proc::pid).containsExactly(100L);
    }

    @Test
    void twoTreesOfOneInstanceAreTwoCopies() {
        // the old copy, reparented to init after its master died, and the new master's copy
        Map<Integer, List<Census.Proc>> instances = Census.instances(List.of(
                proc(100, 1, 3, "sh"), proc(200, 150, 3, "sh"), proc(201, 200, 3, "sleep")));

        assertThat(instances.get(3)).extracting(Census.Proc::pid).containsExactlyInAnyOrder(100L, 200L);
    }

    @Test
    void aSleepLeftByAKilledShellIsNoCopy() {
        Map<Integer, List<Census.Proc>> instances = Census.instances(List.of(proc(300, 1, 3, "sleep"), proc(400, 150, 3, "sh")));

        assertThat(instances.get(3)).extracting(Census.Proc::pid).containsExactly(400L);
    }

    @Test
    void relaysAreNoInstance() {
        Census.Proc relay = new Census.Proc(500, 1, 'S', "da-h1", null, 0, "relay", "java", true, true);

        assertThat(Census.instances(List.of(relay))).isEmpty();
    }

    @Test
    void findsThisMachinesProcessesByTheirMarkerOnly() throws Exception {
        String token = Long.toHexString(System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder("sleep", "30");
        pb.environment().put("SOAK_RUN", token);
        pb.environment().put("DA_ID", "7");
        pb.environment().put("DA_GROUP_NAME", "Local");
        Process marked = pb.start();
        Process unmarked = new ProcessBuilder("sleep", "30").start();
        try {
            List<Census.Proc> found = new Census(token, Map.of()).take();

            assertThat(found).singleElement().satisfies(p -> {
                assertThat(p.pid()).isEqualTo(marked.pid());
                assertThat(p.id()).isEqualTo(7);
                assertThat(p.group()).isEqualTo("Local");
                assertThat(p.host()).isEqualTo(Census.LOCAL);
            });
        } finally {
            marked.destroyForcibly().waitFor();
            unmarked.destroyForcibly().waitFor();
        }
    }
}
