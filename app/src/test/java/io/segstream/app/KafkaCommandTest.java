package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaCommandTest {

    @Test
    void shouldRefuseAQuorumThatDoesNotNameTheNodeOrDoesNotParseWithOneLineEach() throws Exception {
        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "kafka", "--node-id=4", "--controller-quorum=1@127.0.0.1:9093,2@127.0.0.1:9095,3@nohost,1@h:1"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("--controller-quorum: '3@nohost' is not ID@HOST:PORT")
                .contains("--controller-quorum names node 1 twice")
                .contains("--controller-quorum does not name this node (--node-id 4)");
    }

    @Test
    void shouldRefuseEveryInterfaceWithoutAnAdvertisedAddressInOneLine() throws Exception {
        StdErr.Captured run = StdErr.capture(() -> Main.execute("kafka", "--address=0.0.0.0"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr().lines().toList())
                .containsExactly("segstream kafka: --advertised HOST:PORT is required with --address 0.0.0.0: "
                        + "clients must be told an address they can reach");
    }

    @Test
    void shouldGiveNodesOfOneQuorumTheSameClusterIdWhateverTheOrder() {
        String a = KafkaCommand.clusterIdOf(List.of("1@h:1", "2@h:2", "3@h:3"));
        String b = KafkaCommand.clusterIdOf(List.of("3@h:3", "1@h:1", "2@h:2"));
        String other = KafkaCommand.clusterIdOf(List.of("1@h:1", "2@h:2", "3@h:4"));

        assertThat(a).isEqualTo(b).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(other).isNotEqualTo(a);
    }
}
