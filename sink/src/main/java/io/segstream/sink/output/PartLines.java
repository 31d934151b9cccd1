package io.segstream.sink.output;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics lines of one overlay part, below the sequence where the next part starts. A line
 * that is not a whole JSON object with a sequence (the file was cut short) ends them: {@link #cut}.
 */
record PartLines(List<String> lines, List<Long> sequences, boolean cut) {

    private static final ObjectMapper JSON = new ObjectMapper();

    long sequence(int index) {
        return sequences.get(index);
    }

    static PartLines read(Path jsonl, long bound) throws IOException {
        List<String> lines = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode sequence;
                try {
                    sequence = JSON.readTree(line).path("sequence");
                } catch (JacksonException e) {
                    return new PartLines(lines, sequences, true);
                }
                if (!sequence.canConvertToLong()) {
                    return new PartLines(lines, sequences, true);
                }
                if (sequence.asLong() < bound) {
                    lines.add(line);
                    sequences.add(sequence.asLong());
                }
            }
        } catch (NoSuchFileException | CharacterCodingException e) { // none, or cut inside a character
            return new PartLines(lines, sequences, true);
        }
        return new PartLines(lines, sequences, false);
    }
}
