package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The endpoint registry of one shared-memory domain: the records through which an smcd client and an
 * smcd server agree to negotiate SMC-D on a TCP connection, in place of the SMC TCP option (see the
 * {@link io.smcd.sim.registry package} description for the protocol and the file names).
 *
 * <p>A server {@linkplain #registerListener registers} its bound address; a client that
 * {@linkplain #findListener finds} a live listener for its destination {@linkplain #publishIntent
 * publishes an intent} before connecting; the server {@linkplain #claimIntent claims} the intent of each
 * accepted connection and the client {@linkplain ClientIntent#withdraw withdraws} it if it gives up.
 * Exactly one of claim and withdraw wins, and each side learns which.
 *
 * <p>Records of dead processes are ignored, and removed when met or by {@link #sweep()}. A record that
 * does not validate is treated as absent, and removed if no live process claims it. Environment
 * failures on the publishing side are {@link SmcdException}s with reason {@link SmcdReason#MEM} or
 * {@link SmcdReason#CNFERR}; on the looking-up side they read as "no record", which means plain TCP.
 *
 * <p>Thread-safe: an instance holds no mutable state, and any number of threads and processes may use
 * the same domain at once.
 */
public final class EndpointRegistry {
    static final String LISTENER_PREFIX = "listener-";
    static final String INTENT_PREFIX = "intent-";

    private final SmcdDomain domain;

    /** A registry over the records of {@code domain}. */
    public EndpointRegistry(SmcdDomain domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    /**
     * Publishes a listener record for a server socket bound to {@code bound} (the address actually bound,
     * with its real port). A record already at that address is replaced: it is a dead server's, or, with
     * {@code SO_REUSEPORT}, another live server's, and either way the newest registration serves clients.
     *
     * @throws SmcdException with reason {@link SmcdReason#MEM} or {@link SmcdReason#CNFERR} if the domain
     *                       refuses the file; the server then accepts plain TCP only
     */
    public ListenerRegistration registerListener(InetSocketAddress bound) throws SmcdException {
        InetSocketAddress address = Endpoints.require("bound", bound, true);
        ListenerRecord record = new ListenerRecord(ProcessIdentity.current(), domain.gid(), address, newNonce());
        Path file = listenerFile(address.getAddress(), address.getPort());
        RecordFiles.moveInto(RecordFiles.writeTemporary(domain, "listener", ListenerRecordDescriptor.encode(record)), file);
        return new ListenerRegistration(domain, file, record);
    }

    /**
     * The live listener of this domain that a connection to {@code destination} reaches: one registered
     * at exactly that address, or at the wildcard of either family (a JDK socket bound to either is
     * dual-stack) on that port. Other aliases of the same host, such as 127.0.0.2 for a listener on
     * 127.0.0.1, are not matched: such a client uses TCP. A record of a dead owner is removed; a record
     * of another GID is ignored. Costs at most three small file reads and no directory listing.
     */
    public Optional<ListenerRecord> findListener(InetSocketAddress destination) {
        InetSocketAddress target = Endpoints.require("destination", destination, true);
        for (InetAddress candidate : Endpoints.listenerCandidates(target.getAddress())) {
            Optional<ListenerRecord> listener = readListener(listenerFile(candidate, target.getPort()));
            if (listener.isPresent() && listener.get().gid().equals(domain.gid())) {
                return listener;
            }
        }
        return Optional.empty();
    }

    /**
     * Publishes the intent of a client socket bound to {@code clientLocal} (a concrete address and the
     * real port) to negotiate SMC-D with {@code destination}; call before connecting. The record appears
     * under its decision link first and its lookup name second, so a server that finds the intent can
     * always decide it.
     *
     * @throws SmcdException with reason {@link SmcdReason#MEM} or {@link SmcdReason#CNFERR} if the domain
     *                       refuses the file; the client then connects as plain TCP
     */
    public ClientIntent publishIntent(InetSocketAddress clientLocal, InetSocketAddress destination) throws SmcdException {
        InetSocketAddress local = Endpoints.require("clientLocal", clientLocal, false);
        InetSocketAddress target = Endpoints.require("destination", destination, true);
        IntentRecord record = new IntentRecord(ProcessIdentity.current(), domain.gid(), local, target, newNonce());
        Path lookup = intentFile(local);
        Path decision = decisionFile(local, record.nonce());
        Path temp = RecordFiles.writeTemporary(domain, "intent", IntentRecordDescriptor.encode(record));
        try {
            // link(2) never replaces, so even a colliding nonce could not adopt another intent's decision link.
            Files.createLink(decision, temp);
        } catch (IOException e) {
            SharedFiles.deleteQuietly(temp);
            throw RecordFiles.failure("cannot publish intent", decision, e);
        }
        try {
            RecordFiles.moveInto(temp, lookup);
        } catch (SmcdException e) {
            SharedFiles.deleteQuietly(decision);
            throw e;
        }
        return new ClientIntent(record, lookup, decision);
    }

    /**
     * Claims the intent of the client behind a connection this server accepted, identified by the
     * accepted socket's remote and local endpoints. Present only if this call won the claim, the intent
     * names {@code acceptedLocal} as its destination (or a wildcard address on its port), and its owner is
     * live and in this domain (same GID). Only then may the server speak CLC on the connection; otherwise
     * it is plain TCP.
     */
    public Optional<IntentRecord> claimIntent(InetSocketAddress acceptedRemote, InetSocketAddress acceptedLocal) {
        InetSocketAddress remote = Endpoints.require("acceptedRemote", acceptedRemote, false);
        InetSocketAddress local = Endpoints.require("acceptedLocal", acceptedLocal, false);
        Optional<IntentRecord> found = readIntent(intentFile(remote));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        IntentRecord intent = found.get();
        if (!intent.gid().equals(domain.gid()) || !Endpoints.same(intent.clientLocal(), remote)
                || !Endpoints.reaches(intent.destination(), local)) {
            return Optional.empty();
        }
        try {
            // unlink(2) of the intent's own decision link, a name no other intent ever has: of this claim and
            // the client's withdraw, which unlinks the same name, exactly one succeeds.
            Files.delete(decisionFile(remote, intent.nonce()));
            return found;
        } catch (IOException e) {
            // NoSuchFileException: the client withdrew first. Any other failure left the link in place, so
            // the client's withdraw still wins and both sides use TCP.
            return Optional.empty();
        }
    }

    /**
     * Removes the records and temporary files of dead processes (listener and intent records, decision
     * links, and {@code tmp-<pid>-<startMillis>-...} files of any purpose), and records that no live
     * process claims. DMB files, member files and the GID file are left to their own owners.
     *
     * @return how many files this call removed
     * @throws SmcdException with reason {@link SmcdReason#CNFERR} if the domain directory cannot be listed
     */
    public int sweep() throws SmcdException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(domain.directory())) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(RecordFiles.TEMP_PREFIX)) {
                    Optional<ProcessIdentity> owner = RecordFiles.temporaryFileOwner(name);
                    if (owner.isPresent() && !owner.get().isAlive() && SharedFiles.deleteQuietly(file)) {
                        removed++;
                    }
                } else if (name.startsWith(LISTENER_PREFIX)) {
                    if (removeIfStale(file, ListenerRecordDescriptor.RECORD_LENGTH, EndpointRegistry::isStaleListener)) {
                        removed++;
                    }
                } else if (name.startsWith(INTENT_PREFIX)) {
                    if (removeIfStale(file, IntentRecordDescriptor.RECORD_LENGTH, EndpointRegistry::isStaleIntent)) {
                        removed++;
                    }
                }
            }
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot list domain " + domain.directory() + ": " + e, e);
        }
        return removed;
    }

    @Override
    public String toString() {
        return "EndpointRegistry(" + domain.directory() + ")";
    }

    private Optional<ListenerRecord> readListener(Path file) {
        ByteBuffer bytes = RecordFiles.read(file, ListenerRecordDescriptor.RECORD_LENGTH);
        if (bytes == null) {
            return Optional.empty();
        }
        if (isStaleListener(bytes)) {
            RecordFiles.removeIf(domain, file, ListenerRecordDescriptor.RECORD_LENGTH, EndpointRegistry::isStaleListener);
            return Optional.empty();
        }
        try {
            return Optional.of(ListenerRecordDescriptor.decode(bytes));
        } catch (SmcdException corrupt) {
            // A live process claims it (a newer layout version, say): not ours to remove, and not usable.
            return Optional.empty();
        }
    }

    private Optional<IntentRecord> readIntent(Path file) {
        ByteBuffer bytes = RecordFiles.read(file, IntentRecordDescriptor.RECORD_LENGTH);
        if (bytes == null) {
            return Optional.empty();
        }
        if (isStaleIntent(bytes)) {
            RecordFiles.removeIf(domain, file, IntentRecordDescriptor.RECORD_LENGTH, EndpointRegistry::isStaleIntent);
            return Optional.empty();
        }
        try {
            return Optional.of(IntentRecordDescriptor.decode(bytes));
        } catch (SmcdException corrupt) {
            return Optional.empty();
        }
    }

    /** Removes a record file that no live process claims, checking again once it is set aside. */
    private boolean removeIfStale(Path file, int recordLength, Predicate<ByteBuffer> stale) {
        ByteBuffer bytes = RecordFiles.read(file, recordLength);
        return bytes != null && stale.test(bytes) && RecordFiles.removeIf(domain, file, recordLength, stale);
    }

    private static boolean isStaleListener(ByteBuffer record) {
        return !ListenerRecordDescriptor.claimedOwner(record).map(ProcessIdentity::isAlive).orElse(false);
    }

    private static boolean isStaleIntent(ByteBuffer record) {
        return !IntentRecordDescriptor.claimedOwner(record).map(ProcessIdentity::isAlive).orElse(false);
    }

    private Path listenerFile(InetAddress address, int port) {
        return domain.directory().resolve(LISTENER_PREFIX + Endpoints.key(address, port));
    }

    private Path intentFile(InetSocketAddress clientLocal) {
        return domain.directory().resolve(INTENT_PREFIX + Endpoints.key(clientLocal));
    }

    private Path decisionFile(InetSocketAddress clientLocal, long nonce) {
        return domain.directory().resolve(INTENT_PREFIX + Endpoints.key(clientLocal) + "-" + Long.toHexString(nonce));
    }

    private static long newNonce() {
        return ThreadLocalRandom.current().nextLong();
    }
}
