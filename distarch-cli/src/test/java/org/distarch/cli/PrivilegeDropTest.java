package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Looking up --user and --group, and the setpriv words that switch to them. */
class PrivilegeDropTest {

    @Test
    void rootResolvesToUidAndGidZeroWithItsPrimaryGroup() {
        PrivilegeDrop root = PrivilegeDrop.resolve("root", null);
        assertThat(root.uid()).isZero();
        assertThat(root.gid()).isZero();
        assertThat(root.group()).isEqualTo("root");
        assertThat(root.wrapper()).containsExactly("setpriv", "--reuid", "0", "--regid", "0", "--init-groups", "--");
        assertThat(root.environment()).containsEntry("USER", "root").containsEntry("LOGNAME", "root")
                .containsEntry("HOME", "/root");
    }

    @Test
    void anExplicitGroupWinsAndNumbersWorkToo() {
        PrivilegeDrop drop = PrivilegeDrop.resolve("0", "daemon");
        assertThat(drop.user()).isEqualTo("root");
        assertThat(drop.group()).isEqualTo("daemon");
        assertThat(drop.gid()).isEqualTo(Integer.parseInt(PrivilegeDrop.lookup("group", "daemon").orElseThrow()[2]));
    }

    @Test
    void unknownNamesAreClearErrors() {
        assertThatThrownBy(() -> PrivilegeDrop.resolve("no-such-user-distarch", null))
                .hasMessage("--user no-such-user-distarch: no such user");
        assertThatThrownBy(() -> PrivilegeDrop.resolve("root", "no-such-group-distarch"))
                .hasMessage("--group no-such-group-distarch: no such group");
    }
}
