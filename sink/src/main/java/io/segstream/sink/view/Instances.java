package io.segstream.sink.view;

import java.util.List;
import java.util.Optional;

/** The sink instances of one application, as the live view needs them: who serves which camera. */
public interface Instances {

    /** This instance alone (no Kafka Streams metadata yet, or one instance). */
    Instances ALONE = new Instances() {
        @Override
        public Optional<String> elsewhere(String camera) {
            return Optional.empty();
        }

        @Override
        public List<String> others() {
            return List.of();
        }
    };

    /**
     * The base URL ({@code http://host:port}) of the other instance that holds the camera's
     * partition; empty when this one does, or when it is not known now (a rebalance under way).
     */
    Optional<String> elsewhere(String camera);

    /** The base URLs of the other instances. */
    List<String> others();
}
