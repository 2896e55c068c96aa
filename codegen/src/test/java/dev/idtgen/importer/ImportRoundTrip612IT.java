package dev.idtgen.importer;

/** The import round trip on Linux 6.12. */
class ImportRoundTrip612IT extends ImportRoundTrip {
    ImportRoundTrip612IT() {
        super("6.12");
    }
}
