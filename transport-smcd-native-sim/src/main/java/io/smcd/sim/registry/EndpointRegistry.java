package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The endpoint registry of one shared-memory domain: how an smcd client and an smcd server agree to negotiate SMC-D on a
 * TCP connection, in place of the SMC TCP option (see the {@link io.smcd.sim.registry package} description).
 *
 * <p>A server {@linkplain #registerListener registers} its bound address: a {@link ListenerSegment}. A client that
 * {@linkplain #findListener finds} a live listener for its destination {@linkplain Listener#publish publishes an intent}
 * in it before connecting; the server finds and claims the intent of each accepted connection, and the client withdraws
 * it if it gives up. Exactly one of claim and withdraw wins, and each side learns which. Clients keep the listeners they
 * found mapped, so a connection to a known server costs no file operation beyond one {@code stat}.
 *
 * <p>Segments of dead processes are ignored, and removed when met or by {@link #sweep()}. Environment failures on the
 * publishing side are {@link SmcdException}s with reason {@link SmcdReason#MEM} or {@link SmcdReason#CNFERR}; on the
 * looking-up side they read as "no listener", which means plain TCP.
 *
 * <p>Thread-safe: any number of threads and processes may use the same domain at once.
 */
public final class EndpointRegistry implements AutoCloseable {
    static final String LISTENER_PREFIX = "listener-";

    private final SmcdDomain domain;
    private final int slots;
    private final ConcurrentHashMap<Path, Listener> listeners = new ConcurrentHashMap<>();

    /** A registry over the listeners of {@code domain}; segments it creates have the default slot count. */
    public EndpointRegistry(SmcdDomain domain) {
        this(domain, ListenerSegmentDescriptor.DEFAULT_SLOT_COUNT);
    }

    /** A registry whose segments have {@code slots} intent slots. */
    public EndpointRegistry(SmcdDomain domain, int slots) {
        this.domain = Objects.requireNonNull(domain, "domain");
        ListenerSegmentDescriptor.fileLength(slots);
        this.slots = slots;
    }

    /**
     * Publishes a listener segment for a server socket bound to {@code bound} (the address actually bound, with its real
     * port). A segment already at that address is replaced: it is a dead server's, or, with {@code SO_REUSEPORT}, another
     * live server's, and either way the newest registration serves clients.
     *
     * @throws SmcdException with reason {@link SmcdReason#MEM} or {@link SmcdReason#CNFERR} if the domain refuses the
     *                       file; the server then accepts plain TCP only
     */
    public ListenerSegment registerListener(InetSocketAddress bound) throws SmcdException {
        InetSocketAddress address = Endpoints.require("bound", bound, true);
        ListenerRecord record = new ListenerRecord(ProcessIdentity.current(), domain.gid(), address,
                ThreadLocalRandom.current().nextLong());
        return ListenerSegment.create(domain, listenerFile(address.getAddress(), address.getPort()), record, slots);
    }

    /**
     * The live listener of this domain that a connection to {@code destination} reaches: one registered at exactly that
     * address, or at the wildcard of either family (a JDK socket bound to either is dual-stack) on that port. Other
     * aliases of the same host, such as 127.0.0.2 for a listener on 127.0.0.1, are not matched: such a client uses TCP.
     * A known listener costs one {@code stat} of its file; a segment of a dead owner is removed; one of another GID is
     * ignored.
     */
    public Optional<Listener> findListener(InetSocketAddress destination) {
        InetSocketAddress target = Endpoints.require("destination", destination, true);
        for (InetAddress candidate : Endpoints.listenerCandidates(target.getAddress())) {
            Listener listener = listener(listenerFile(candidate, target.getPort()));
            if (listener != null) {
                return Optional.of(listener);
            }
        }
        return Optional.empty();
    }

    /**
     * Removes the listener segments of dead processes and the temporary files ({@code tmp-<pid>-<startMillis>-...}) of
     * dead processes. DMB files, member files and the GID file are left to their own owners.
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
                } else if (name.startsWith(LISTENER_PREFIX) && removeIfStale(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot list domain " + domain.directory() + ": " + e, e);
        }
        return removed;
    }

    /** Unmaps the listeners this registry found; intents still in flight keep theirs until they close. */
    @Override
    public void close() {
        listeners.values().removeIf(listener -> {
            listener.drop();
            return true;
        });
    }

    @Override
    public String toString() {
        return "EndpointRegistry(" + domain.directory() + ")";
    }

    /** The cached listener at {@code file} if it is still current, else the one mapped from the file now; null if none. */
    private Listener listener(Path file) {
        Object fileKey;
        try {
            fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            forget(file, null);
            return null;
        }
        Listener cached = listeners.get(file);
        if (cached != null && cached.isCurrent(fileKey)) {
            return cached;
        }
        forget(file, cached);
        Listener mapped = map(file, fileKey);
        if (mapped == null) {
            return null;
        }
        Listener raced = listeners.putIfAbsent(file, mapped);
        if (raced != null) {
            mapped.drop();
            return raced;
        }
        return mapped;
    }

    private void forget(Path file, Listener stale) {
        Listener removed = stale == null ? listeners.remove(file) : listeners.remove(file, stale) ? stale : null;
        if (removed != null) {
            removed.drop();
        }
    }

    /** Maps and validates the segment at {@code file}; removes it if its owner is dead; null if it is not usable. */
    private Listener map(Path file, Object fileKey) {
        MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < ListenerSegmentDescriptor.HEADER_LENGTH || size > ListenerSegmentDescriptor.fileLength(
                    ListenerSegmentDescriptor.MAX_SLOT_COUNT)) {
                return null;
            }
            mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        try {
            ByteBuffer segment = mapping.duplicate().order(SharedWords.ORDER);
            ListenerRecord record = ListenerSegmentDescriptor.readHeader(segment);
            if (!record.owner().isAlive()) {
                SharedFiles.unmap(mapping);
                removeIfStale(file);
                return null;
            }
            if (!record.gid().equals(domain.gid())
                    || SharedWords.getAcquire(segment, ListenerSegmentDescriptor.STATE_OFFSET) != ListenerSegmentDescriptor.OPEN) {
                SharedFiles.unmap(mapping);
                return null;
            }
            return new Listener(record, new SharedSegment(mapping), ListenerSegmentDescriptor.slotCount(segment), fileKey);
        } catch (SmcdException corrupt) {
            // A live process's newer layout, or garbage: not usable either way; the sweep removes it once its owner dies.
            SharedFiles.unmap(mapping);
            return null;
        }
    }

    /**
     * Removes a listener segment that no live process owns, checking again once it is set aside. A live owner's segment
     * is never set aside, not even for the moment of a check: a client connecting then would find no listener and use
     * TCP, and every process that opens the domain sweeps it.
     */
    private boolean removeIfStale(Path file) {
        ByteBuffer header = RecordFiles.read(file, ListenerSegmentDescriptor.HEADER_LENGTH);
        return header != null && isStale(header)
                && RecordFiles.removeIf(domain, file, ListenerSegmentDescriptor.HEADER_LENGTH, EndpointRegistry::isStale);
    }

    private static boolean isStale(ByteBuffer header) {
        return !ListenerSegmentDescriptor.claimedOwner(header).map(ProcessIdentity::isAlive).orElse(false);
    }

    private Path listenerFile(InetAddress address, int port) {
        return domain.directory().resolve(LISTENER_PREFIX + Endpoints.key(address, port));
    }
}
