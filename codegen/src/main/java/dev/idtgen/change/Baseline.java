package dev.idtgen.change;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.ResultsFile;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a verified run of one booted kernel (kernel, arch, profile, variant,
 * delivery) left for the next run to compare with: the digest of its
 * .config, the digest of everything else a verdict depends on outside the
 * kernel (the guest programs, the boot plan, the emulators: {@link Inputs}),
 * its code's fingerprints, its test results and the vectors each unit was
 * measured to enter ({@link RaisedMap}). Written atomically to
 * {@code baseline.yaml} in its directory only after a run without failures
 * or timeouts.
 *
 * @param id           names it in the report ("carried from ID"): the run's time and the kernel
 * @param config       SHA-256 of the build's .config
 * @param inputs       {@link Inputs#parts}: part name to its digest or version
 * @param fingerprints the build's {@link Fingerprints}
 * @param image        SHA-256 of the bzImage that was booted ("" in a baseline that did not record it)
 * @param results      the kernel's test results, as parsed from its boots (with those the run carried from the
 *                     baseline before it, each still naming the baseline whose run produced it)
 * @param measured     the vectors each unit entered in the boots that produced the results (empty: not measured,
 *                     e.g. the Bochs boots, or a baseline made before the map or by another version of it)
 */
public record Baseline(String id, String config, Map<String, String> inputs, Fingerprints fingerprints, String image,
                       List<TestResult> results, Optional<RaisedMap> measured) {

    public static final String FILE = "baseline.yaml";

    /** A baseline without a measured map. */
    public Baseline(String id, String config, Map<String, String> inputs, Fingerprints fingerprints, String image,
                    List<TestResult> results) {
        this(id, config, inputs, fingerprints, image, results, Optional.empty());
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("config", config);
        m.put("inputs", new TreeMap<>(inputs));
        m.put("image", image);
        m.put("results", ResultsFile.toData(results));
        m.put("fingerprints", new TreeMap<>(fingerprints.digests()));
        measured.ifPresent(r -> m.put("measured", r.toData()));
        // the same (empty) diagnostics list would otherwise be written as an alias, and a loader limits those
        dev.idtgen.io.YamlFiles.write(dir.resolve(FILE), m);
    }

    /** The baseline in {@code dir}; empty when there is none. A file that is not one is an error. */
    public static Optional<Baseline> read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            MapNode m = YamlDoc.read(f);
            List<TestResult> results = ResultsFile.fromNode(m.get("results"));
            Map<String, String> digests = new TreeMap<>(m.map("fingerprints").strings());
            Optional<RaisedMap> measured = m.has("measured") ? RaisedMap.fromNode(m.map("measured"))
                    : Optional.empty();
            // a baseline of an idtgen that kept one digest for all inputs: a part of its own, which differs
            Map<String, String> inputs = m.get("inputs").isMap() ? new TreeMap<>(m.map("inputs").strings())
                    : Map.of(Inputs.LEGACY, m.string("inputs"));
            return Optional.of(new Baseline(m.string("id"), m.string("config"), inputs,
                    new Fingerprints(digests), m.string("image", ""), results, measured));
        } catch (ConfigException e) {
            throw new IOException(f + ": not a baseline (" + e.getMessage() + "); delete it to start afresh", e);
        }
    }
}
