package dev.idtgen.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The one statistic the benchmarks print. */
public final class Stats {

    private Stats() {
    }

    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
