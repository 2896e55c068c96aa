package dev.idtgen.kernel;

import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quilt-style series of kernel-patch/: a {@code series} file naming the
 * patches in order, applied with {@code patch -p1}. A patch that does not
 * apply stops everything with the patch name, the file and the rejected
 * hunk; the tree it was applied to is thrown away by the caller.
 */
public final class PatchSeries {

    private final Path dir;
    private final List<Path> patches;

    private PatchSeries(Path dir, List<Path> patches) {
        this.dir = dir;
        this.patches = patches;
    }

    public static PatchSeries read(Path dir) throws IOException {
        Path series = dir.resolve("series");
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(series, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Path p = dir.resolve(l.split("\\s+")[0]);
            if (!Files.isRegularFile(p)) {
                throw new IOException(series + ": patch " + l + " does not exist");
            }
            out.add(p);
        }
        return new PatchSeries(dir, List.copyOf(out));
    }

    public List<Path> patches() {
        return patches;
    }

    /** A digest of the series and every patch, to know whether a tree carries exactly this series. */
    public String digest() throws IOException {
        MessageDigest md = dev.idtgen.io.Digests.sha256();
        md.update(Files.readAllBytes(dir.resolve("series")));
        for (Path p : patches) {
            md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(p));
        }
        return dev.idtgen.io.Digests.hex(md);
    }

    /** Applies every patch to {@code tree}; on the first failure throws with the patch, file and hunk. */
    public void apply(Path tree, Path log, PrintWriter out) throws IOException, InterruptedException, Step.Failed {
        for (Path p : patches) {
            Step.Finished r = patch(tree, log, p, "--forward");
            if (r.exitCode() != 0) {
                throw new Step.Failed(describeFailure(p, r.lines()) + "\nfull log: " + log.toAbsolutePath(), log);
            }
            out.println("kernel: applied " + p.getFileName());
        }
    }

    /** Empty when every patch would apply to {@code tree} (checked, not applied); else why the first does not. */
    public java.util.Optional<String> wouldApply(Path tree, Path log) throws IOException, InterruptedException,
            Step.Failed {
        for (Path p : patches) {
            Step.Finished r = patch(tree, log, p, "--forward", "--dry-run");
            if (r.exitCode() != 0) {
                return java.util.Optional.of(describeFailure(p, r.lines()));
            }
        }
        return java.util.Optional.empty();
    }

    /** Takes every patch back out of {@code tree}, last first (a tree {@link #apply} patched). */
    public void revert(Path tree, Path log, PrintWriter out) throws IOException, InterruptedException, Step.Failed {
        List<Path> backwards = new ArrayList<>(patches);
        java.util.Collections.reverse(backwards);
        for (Path p : backwards) {
            if (patch(tree, log, p, "--reverse").exitCode() != 0) {
                throw new Step.Failed("patch " + p.getFileName() + " does not come back out of " + tree
                        + "\nfull log: " + log.toAbsolutePath(), log);
            }
            out.println("kernel: reverted " + p.getFileName());
        }
    }

    /** {@code patch -p1 --batch} of {@code p} in {@code tree} with {@code how}, logged, its output kept. */
    private static Step.Finished patch(Path tree, Path log, Path p, String... how) throws IOException,
            InterruptedException, Step.Failed {
        List<String> cmd = new ArrayList<>(List.of("patch", "-p1"));
        cmd.addAll(List.of(how));
        cmd.addAll(List.of("--batch", "--no-backup-if-mismatch", "-r", "-", "-i", p.toString()));
        return new Step(String.join(" ", how) + " " + p.getFileName(), log, null).in(tree).keepLines()
                .runAllowingFailure(cmd);
    }

    private static final Pattern FILE = Pattern.compile("^(?:patching|checking) file (\\S+)");
    private static final Pattern HUNK = Pattern.compile("^Hunk #(\\d+) FAILED at (\\d+)");

    /** "patch X does not apply: file F, hunk #N (at line L)" plus that hunk's text. */
    private static String describeFailure(Path patch, List<String> lines) throws IOException {
        String file = "?";
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            Matcher f = FILE.matcher(l);
            if (f.find()) {
                file = f.group(1);
            }
            Matcher h = HUNK.matcher(l);
            if (h.find()) {
                int n = Integer.parseInt(h.group(1));
                b.append("patch ").append(patch.getFileName()).append(" does not apply: ").append(file)
                        .append(", hunk #").append(n).append(" (at line ").append(h.group(2)).append(")\n")
                        .append(hunk(patch, file, n));
                return b.toString();
            }
        }
        return "patch " + patch.getFileName() + " does not apply (" + file + "):\n  | "
                + String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    /** The text of hunk {@code n} of {@code file} in the patch. */
    static String hunk(Path patch, String file, int n) throws IOException {
        List<String> lines = Files.readAllLines(patch, StandardCharsets.UTF_8);
        boolean inFile = false;
        int seen = 0;
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (l.startsWith("+++ ")) {
                inFile = l.substring(4).split("\\s")[0].endsWith(file);
                continue;
            }
            if (!inFile) {
                continue;
            }
            if (l.startsWith("@@")) {
                seen++;
                if (seen > n) {
                    break;
                }
            }
            if (seen == n) {
                b.append("  | ").append(l).append('\n');
            }
        }
        return b.toString();
    }
}
