package io.segstream.app;

import io.segstream.segmenter.catalog.CatalogEntry;
import io.segstream.segmenter.catalog.ModelCatalog;
import io.segstream.segmenter.catalog.ModelDownloader;
import io.segstream.segmenter.model.FrozenGraphConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code segstream models list|pull}: the model catalog and the local cache. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description =
                "Lists the models segstream knows by name, pulls them into the model cache, and inspects any model.",
        subcommands = {ModelsCommand.List.class, ModelsCommand.Pull.class, InspectCommand.class})
final class ModelsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Shows the catalog and what is in the local cache.")
    static final class List implements Callable<Integer> {

        @Mixin
        ModelCacheOption cache;

        @Override
        public Integer call() throws IOException {
            ModelDownloader downloader = new ModelDownloader(cache.cache(), new FrozenGraphConverter(cache.cache()));
            System.out.printf(
                    Locale.ROOT, "%-38s %8s  %-8s %-9s %s%n", "name", "size", "cached", "crop", "description");
            for (CatalogEntry e : ModelCatalog.builtIn().entries()) {
                Optional<Path> pulled = downloader.pulled(e);
                System.out.printf(
                        Locale.ROOT,
                        "%-38s %5d MB  %-8s %-9s %s (%s classes, frames fitted into the crop)%n",
                        e.name(),
                        e.approxBytes() >> 20,
                        pulled.isPresent() ? "yes" : "no",
                        e.crop().map(Object::toString).orElse("any"),
                        e.description(),
                        e.taxonomy());
                pulled.ifPresent(p -> System.out.println("    " + p));
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "pull",
            mixinStandardHelpOptions = true,
            description = "Downloads a catalog model, verifies, unpacks and converts it into the cache.")
    static final class Pull implements Callable<Integer> {

        @Parameters(paramLabel = "NAME", description = "A name from 'segstream models list'.")
        String name;

        @Mixin
        ModelCacheOption cache;

        @Override
        public Integer call() {
            Optional<CatalogEntry> entry = ModelCatalog.builtIn().find(name);
            if (entry.isEmpty()) {
                System.err.println("segstream models pull: no model '" + name
                        + "' in the catalog; 'segstream models list' shows them");
                return ExitCode.REFUSED.code();
            }
            long[] last = {0};
            try {
                Path saved = new ModelDownloader(cache.cache(), new FrozenGraphConverter(cache.cache()))
                        .pull(entry.get(), (bytes, total) -> {
                            long now = System.nanoTime();
                            if (now - last[0] > 1_000_000_000L || bytes == total) {
                                last[0] = now;
                                System.err.println(
                                        total > 0
                                                ? String.format(
                                                        Locale.ROOT,
                                                        "progress: %s %.1f of %.1f MB (%.0f%%)",
                                                        name,
                                                        bytes / 1e6,
                                                        total / 1e6,
                                                        100.0 * bytes / total)
                                                : String.format(
                                                        Locale.ROOT, "progress: %s %.1f MB", name, bytes / 1e6));
                            }
                        });
                System.out.println(saved);
                return ExitCode.OK.code();
            } catch (IOException | RuntimeException e) {
                System.err.println("segstream models pull: " + e.getMessage());
                return ExitCode.FAILED.code();
            }
        }
    }
}
