package io.smcd.sim.stats;

import io.smcd.sim.ProcessIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One process's statistics file as read at one moment. Immutable.
 *
 * @param file            the file
 * @param owner           the process that publishes it
 * @param alive           whether that process was running when the file was read
 * @param publishedMillis when the owner last published, epoch millis (0: not yet)
 * @param publications    how many times it published
 * @param counters        counter values by label, in the owner's order
 * @param connections     the connections the owner showed, at most its slot count
 * @param connectionsOpen the connections the owner had open, which may exceed {@code connections}
 */
public record ProcessStats(Path file, ProcessIdentity owner, boolean alive, long publishedMillis, long publications,
        Map<String, Long> counters, List<ConnectionRecord> connections, long connectionsOpen) {

    /** The value of counter {@code label}, 0 if the file has no such counter. */
    public long counter(String label) {
        return counters.getOrDefault(label, 0L);
    }
}
