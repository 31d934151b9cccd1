package io.segstream.segmenter.catalog;

import io.segstream.protocol.Checks;
import io.segstream.protocol.Size;
import java.net.URI;
import java.util.Optional;

/**
 * A model segstream can download by name.
 *
 * @param name         what users type: {@code segstream models pull NAME}, {@code --model NAME}
 * @param description  what it is
 * @param url          where the archive is published
 * @param archive      the archive's file name (a .tar.gz holding a frozen graph)
 * @param approxBytes  its size as published, to show progress against and to sanity-check the download
 * @param sha256       its SHA-256 when known; otherwise the first download's is recorded and later ones must match
 * @param taxonomy     the classes it predicts
 * @param layout       its input and output tensors
 * @param crop         the crop its graph was exported for (export_model.py builds the network for it and fails on larger
 *                     pictures): frames are fitted into it by default. The graph's own, read when it is loaded, wins.
 */
public record CatalogEntry(
        String name,
        String description,
        URI url,
        String archive,
        long approxBytes,
        Optional<String> sha256,
        String taxonomy,
        String layout,
        Optional<Size> crop) {

    public CatalogEntry {
        Checks.nonNull("name url archive sha256 crop", name, url, archive, sha256, crop);
        if (!archive.endsWith(".tar.gz") && !archive.endsWith(".tgz")) {
            throw new IllegalArgumentException(
                    "catalog entry " + name + ": the archive must be a .tar.gz, got " + archive);
        }
    }
}
