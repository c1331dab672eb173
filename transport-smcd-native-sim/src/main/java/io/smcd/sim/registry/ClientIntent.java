package io.smcd.sim.registry;

import io.smcd.sim.SharedFiles;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A client's published intent to negotiate SMC-D on one connection ({@link EndpointRegistry#publishIntent}).
 * It is decided exactly once, either by the server's {@link EndpointRegistry#claimIntent claim} or by
 * {@link #withdraw()}; the client learns which from {@code withdraw()}, so it must call it (or
 * {@link #close()}) on every path, and before it closes the socket, whose local port names the intent.
 *
 * <p>Thread-safe: {@link #withdraw()} and {@link #close()} may race; the first to decide wins and later
 * calls see the same outcome.
 */
public final class ClientIntent implements AutoCloseable {
    private final IntentRecord record;
    private final Path lookupFile;
    private final Path decisionFile;
    /** Null until decided; then true if withdrawn, false if the server claimed first. Guarded by {@code this}. */
    private Boolean withdrawn;

    ClientIntent(IntentRecord record, Path lookupFile, Path decisionFile) {
        this.record = record;
        this.lookupFile = lookupFile;
        this.decisionFile = decisionFile;
    }

    /** The published record. */
    public IntentRecord record() {
        return record;
    }

    /**
     * Withdraws the intent unless the server claimed it first. Call it when bytes arrive that the client
     * has not yet judged, or when the bounded wait for the server's CLC message passes.
     *
     * @return true if withdrawn: the server never claimed it and never will, so the connection is plain TCP
     *         and any bytes received are the server's data; false if the server claimed it first, so the
     *         server speaks CLC and the client must read it
     * @throws SmcdException with reason {@link SmcdReason#CNFERR} if the domain refused the removal, so the
     *                       outcome is unknown and the caller must close the connection; a later call retries
     */
    public synchronized boolean withdraw() throws SmcdException {
        if (withdrawn != null) {
            return withdrawn;
        }
        boolean won;
        try {
            // unlink(2) of the decision link, which the server's claim also unlinks: exactly one of the two succeeds.
            Files.delete(decisionFile);
            won = true;
        } catch (NoSuchFileException e) {
            won = false;
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot withdraw intent " + decisionFile + ": " + e, e);
        }
        // The lookup name is this client's alone while its socket holds the local port, so a plain unlink
        // cannot remove another client's intent.
        SharedFiles.deleteQuietly(lookupFile);
        withdrawn = won;
        return won;
    }

    /**
     * Withdraws the intent if it is still undecided, ignoring the outcome: for a client that abandons the
     * connection anyway (its connect failed, or it is closing). Idempotent.
     */
    @Override
    public void close() {
        try {
            withdraw();
        } catch (SmcdException e) {
            // The connection is being abandoned: whatever the server decides, no one will read it.
        }
    }

    @Override
    public synchronized String toString() {
        return "ClientIntent(" + record.clientLocal() + " -> " + record.destination() + ", "
                + (withdrawn == null ? "undecided" : withdrawn ? "withdrawn" : "claimed") + ")";
    }
}
