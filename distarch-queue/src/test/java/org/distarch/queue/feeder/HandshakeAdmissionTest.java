package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cap on strangers, and its warning at most once a minute. */
class HandshakeAdmissionTest {

    @Test
    void clientsBeyondTheCapAreRefusedAndCountedInOneWarningPerMinute() {
        HandshakeAdmission admission = new HandshakeAdmission(2);
        assertThat(admission.admit(0)).isTrue();
        assertThat(admission.admit(1)).isTrue();
        assertThat(admission.warningDue(0)).isNull();
        assertThat(admission.admit(2)).isFalse();
        assertThat(admission.admit(2)).isFalse();
        assertThat(admission.warningDue(1000)).startsWith("2 connection(s) closed at once: 2 clients were already");
        assertThat(admission.admit(2)).isFalse();
        assertThat(admission.warningDue(30_000)).as("within the minute").isNull();
        assertThat(admission.warningDue(61_000)).startsWith("1 connection(s) closed at once");
        assertThat(admission.warningDue(200_000)).as("nothing refused since").isNull();
    }
}
