package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminFilesTest {

    @TempDir
    Path dir;

    @Test
    void theTokenFileIsTheMastersUsersOnlyAndGoesWithTheMaster() throws IOException {
        Path pid = dir.resolve("fleet.pid");
        AdminFiles files = AdminFiles.write(pid, "http://127.0.0.1:8642/", "s3cret-token");
        assertThat(files.token()).isEqualTo(dir.resolve("fleet.admin-token"));
        assertThat(Files.readString(files.token())).isEqualTo("s3cret-token\n");
        assertThat(Files.getPosixFilePermissions(files.token())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve("fleet.admin-url"))).isEqualTo("http://127.0.0.1:8642/\n");
        files.close();
        assertThat(dir.resolve("fleet.admin-token")).doesNotExist();
        assertThat(dir.resolve("fleet.admin-url")).doesNotExist();
    }

    @Test
    void aUrlFileThatCannotBeWrittenLeavesNoTokenBehind() throws IOException {
        Path pid = dir.resolve("fleet.pid");
        Files.createDirectory(dir.resolve("fleet.admin-url")); // a directory where the file should go
        assertThatThrownBy(() -> AdminFiles.write(pid, "http://127.0.0.1:8642/", "s3cret-token"))
                .isInstanceOf(IOException.class);
        assertThat(dir.resolve("fleet.admin-token")).doesNotExist();
    }
}
