package dev.idtgen.importer;

/** The import round trip on Linux 6.1. */
class ImportRoundTrip61IT extends ImportRoundTrip {
    ImportRoundTrip61IT() {
        super("6.1");
    }
}
