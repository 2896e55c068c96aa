package dev.idtgen.report;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Ktap;

import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: for each booted kernel, the IDT map, a 16 x 16 grid of
 * its 256 vectors (row: the high nibble, column: the low one), each cell
 * coloured by what the vector holds and outlined by its verdict, DPL 3 and
 * IST gates marked, the details in the cell's title (hover) and a link to
 * the vector's row in the table beside the grid (click). One self-contained
 * file: inline CSS, no script, nothing fetched.
 */
public final class HtmlReport {

    /** One kernel's map: an id for anchors, its title, its cells. */
    public record Grid(String id, String title, List<IdtMap.Cell> cells) {
    }

    private HtmlReport() {
    }

    private static final String CSS = """
            body { font: 13px/1.4 sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
            .kernel { display: flex; gap: 2em; align-items: flex-start; }
            table.grid { border-collapse: separate; border-spacing: 2px; }
            table.grid th { font: 11px monospace; color: #666; padding: 0 3px; }
            table.grid td { width: 26px; height: 26px; padding: 0; position: relative; text-align: center;
                font: 10px monospace; border: 2px solid #bbb; }
            table.grid td a { display: block; line-height: 22px; color: #222; text-decoration: none; }
            .exception { background: #f4b183; } .user { background: #ffd966; } .system { background: #9dc3e6; }
            .device { background: #a9d18e; } .spurious { background: #d9d9d9; }
            .reserved { background: repeating-linear-gradient(45deg, #eee, #eee 3px, #fff 3px, #fff 6px); }
            .absent { background: #fff; } .unknown { background: #fff; color: #999; }
            td.v-pass { border-color: #2e7d32; } td.v-fail { border: 3px solid #c62828; }
            td.v-skip, td.v-none { border-color: #bbb; border-style: dashed; } td.v-timeout { border-color: #ef6c00; }
            td.dpl3::after { content: "3"; position: absolute; top: 0; right: 1px; font-size: 8px; font-weight: bold; }
            td.ist::before { content: "i"; position: absolute; bottom: 0; left: 2px; font-size: 8px; font-style: italic; }
            .vectors { max-height: 640px; overflow: auto; border: 1px solid #ddd; }
            table.list { border-collapse: collapse; font-size: 12px; }
            table.list th, table.list td { border-bottom: 1px solid #eee; padding: 1px 6px; text-align: left; }
            table.list tr:target { background: #fff59d; }
            .fail { color: #c62828; font-weight: bold; }
            .legend span { display: inline-block; padding: 1px 6px; margin-right: 6px; border: 2px solid #bbb; }
            """;

    public static String html(String kernel, List<Grid> grids, List<Coverage> coverage) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>idtgen IDT map, kernel ")
                .append(esc(kernel)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>idtgen: the IDT of every booted kernel, kernel ").append(esc(kernel)).append("</h1>\n")
                .append("<p>Each grid is one kernel's 256 vectors as its KUnit audit read them from the live IDT")
                .append(" (row: high nibble, column: low nibble). Fill: what the vector holds; outline: the verdict")
                .append(" (solid green pass, thick red fail, dashed skipped or no result); <b>3</b>: a DPL 3 gate;")
                .append(" <i>i</i>: an IST stack. Hover a cell for its details, click it for its row.</p>\n")
                .append("<p class=\"legend\">");
        for (IdtMap.Kind k : IdtMap.Kind.values()) {
            b.append("<span class=\"").append(k.css()).append("\">").append(esc(k.text())).append("</span>");
        }
        b.append("</p>\n");
        if (!coverage.isEmpty()) {
            b.append("<ul>\n");
            coverage.forEach(c -> b.append("<li>").append(esc(c.line())).append("</li>\n"));
            b.append("</ul>\n");
        }
        if (grids.isEmpty()) {
            b.append("<p>No kernel was booted through the IDT.</p>\n");
        }
        for (Grid g : grids) {
            grid(b, g);
        }
        return b.append("</body>\n</html>\n").toString();
    }

    private static void grid(StringBuilder b, Grid g) {
        b.append("<h2 id=\"").append(g.id()).append("\">").append(esc(g.title())).append("</h2>\n")
                .append("<div class=\"kernel\">\n<table class=\"grid\" data-kernel=\"").append(esc(g.title()))
                .append("\">\n<tr><th></th>");
        for (int lo = 0; lo < 16; lo++) {
            b.append("<th>").append(String.format("%x", lo)).append("</th>");
        }
        b.append("</tr>\n");
        for (int hi = 0; hi < 16; hi++) {
            b.append("<tr><th>").append(String.format("%x0", hi)).append("</th>");
            for (int lo = 0; lo < 16; lo++) {
                IdtMap.Cell c = g.cells().get(hi * 16 + lo);
                String v = String.format("0x%02x", c.vector());
                b.append("<td class=\"").append(c.kind().css()).append(" v-")
                        .append(c.verdict().toLowerCase(Locale.ROOT)).append(c.dpl() == 3 ? " dpl3" : "")
                        .append(c.ist() > 0 ? " ist" : "").append("\" data-vector=\"").append(v)
                        .append("\" data-verdict=\"").append(c.verdict()).append("\" title=\"")
                        .append(esc(details(c))).append("\"><a href=\"#").append(g.id()).append('-').append(v)
                        .append("\">").append(String.format("%02x", c.vector())).append("</a></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<div class=\"vectors\">\n<table class=\"list\">\n<tr><th>vector</th><th>holds</th>")
                .append("<th>gate</th><th>expected (table)</th><th>entry</th><th>audit</th>")
                .append("<th title=\"0x00-0x1f: raised from kernel mode; 0x20-0xff: a self-IPI\">in-kernel</th></tr>\n");
        for (IdtMap.Cell c : g.cells()) {
            String v = String.format("0x%02x", c.vector());
            b.append("<tr id=\"").append(g.id()).append('-').append(v).append("\"><td>").append(v).append("</td><td>")
                    .append(esc(c.kind().text())).append("</td><td>").append(esc(gate(c))).append("</td><td>")
                    .append(esc(c.expected().isEmpty() ? "" : c.expected() + " (" + c.table() + ")"))
                    .append("</td><td>").append(esc(c.handler().isEmpty() ? "" : c.handler() + ": "
                            + (c.entry() == null ? "-" : c.entry().verdict() + " " + c.entry().detail())))
                    .append("</td>").append(result(c.audit())).append(result(c.delivery())).append("</tr>\n");
        }
        b.append("</table>\n</div>\n</div>\n");
    }

    private static String gate(IdtMap.Cell c) {
        if (c.type() < 0) {
            return "";
        }
        if (!c.present()) {
            return "not present";
        }
        String type = switch (c.type()) {
            case 5 -> "task gate";
            case 14 -> "interrupt gate";
            case 15 -> "trap gate";
            default -> "type " + c.type();
        };
        return type + ", DPL " + c.dpl() + (c.ist() > 0 ? ", IST " + c.ist() : "");
    }

    private static String details(IdtMap.Cell c) {
        StringBuilder d = new StringBuilder(String.format("vector 0x%02x: %s", c.vector(), c.kind().text()));
        if (c.type() >= 0) {
            d.append("; ").append(gate(c));
        }
        if (!c.expected().isEmpty() && !c.expected().equals("-")) {
            d.append("; ").append(c.expected()).append(" (").append(c.table()).append(')');
        }
        if (!c.handler().isEmpty()) {
            d.append("; entry ").append(c.handler()).append(": ")
                    .append(c.entry() == null ? "-" : c.entry().verdict());
        }
        d.append("; audit ").append(c.audit() == null ? "-" : c.audit().status());
        d.append(c.vector() < 32 ? "; kernel-mode raise " : "; delivery ")
                .append(c.delivery() == null ? "-" : c.delivery().status());
        return d.toString();
    }

    private static String result(TestResult r) {
        if (r == null) {
            return "<td>-</td>";
        }
        String text = r.status() + (r.reason().isEmpty() ? "" : ": " + r.reason())
                + (r.status() == Ktap.Status.FAIL ? " " + String.join("; ", r.diagnostics()) : "") + r.carriedNote();
        return "<td" + (r.status() == Ktap.Status.FAIL ? " class=\"fail\"" : "") + ">" + esc(text) + "</td>";
    }

    private static String esc(String s) {
        return ReportWriter.xml(s);
    }
}
