package dev.glimpse.image.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;

/**
 * A place where image data lives: the storage driver SPI, after glance_store's four verbs (add,
 * get, get_size, delete) plus capabilities.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #write} is all or nothing: when it returns, the data is durable and complete; when
 *       it throws, nothing of the image is visible or left behind, and the same image id may be
 *       written again.</li>
 *   <li>Every location a store returns carries its {@link #id()}. A store refuses, with
 *       {@link InvalidLocationException} and without touching its backend, any location it does
 *       not own.</li>
 *   <li>Byte-level failures are {@link IOException}s: {@link java.nio.file.NoSuchFileException}
 *       for missing data, {@link java.nio.file.FileAlreadyExistsException} when the image id
 *       already has data, {@link java.nio.file.AccessDeniedException}, {@link StorageFullException},
 *       {@link SizeMismatchException}, {@link UnsupportedStoreOperationException}.</li>
 *   <li>Memory is bounded whatever the image size: data is streamed both ways.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. {@code image-store-spi}'s test-jar holds
 * {@code ImageStoreContractTest}, an abstract JUnit 5 suite every implementation should pass.
 */
public interface ImageStore extends Closeable {

    /** Marks an {@code expectedSize} that is not known in advance (a chunked upload). */
    long UNKNOWN_SIZE = -1;

    /** The store's id, unique within a registry (Glance's backend id, e.g. {@code "fast"}). */
    String id();

    /** What the store can do. */
    Set<StoreCapability> capabilities();

    /**
     * Whether {@code uri} lies within this store's namespace: its scheme, and for stores with
     * roots, under one of them. Does no I/O and does not say that data exists there.
     */
    boolean owns(URI uri);

    /**
     * Turns a URI given by a user (Glance's locations API) into a location of this store, after
     * checking that the store owns it.
     *
     * @throws InvalidLocationException if the store does not own {@code uri}
     */
    default StoreLocation location(URI uri) throws InvalidLocationException {
        if (!owns(uri)) {
            throw new InvalidLocationException("store '" + id() + "' does not own location " + uri);
        }
        return new StoreLocation(id(), uri);
    }

    /**
     * Writes the data of image {@code imageId}, reading {@code data} to its end. The caller keeps
     * ownership of {@code data} and closes it.
     *
     * @param imageId the image id; stores may restrict its characters (ids are UUIDs in practice)
     * @param data the bytes to store
     * @param expectedSize the declared size in bytes, or {@link #UNKNOWN_SIZE}; when known, the
     *     write fails as soon as more bytes arrive and at the end if fewer did
     * @return where the data now lives and how much was written
     * @throws java.nio.file.FileAlreadyExistsException if the image already has data in this store
     * @throws StorageFullException if there is no room for it
     * @throws SizeMismatchException if the byte count differs from {@code expectedSize}
     * @throws UnsupportedStoreOperationException if the store is read-only
     * @throws IOException if reading {@code data} or writing fails; nothing is left behind
     */
    StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException;

    /**
     * Opens the whole of the data at {@code location} for reading. The caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException if there is no data there
     * @throws InvalidLocationException if the store does not own the location
     */
    default InputStream read(StoreLocation location) throws IOException {
        return read(location, ByteRange.from(0));
    }

    /**
     * Opens part of the data at {@code location} for reading. A range running past the end is cut
     * at the end. The caller closes the stream.
     *
     * @throws java.io.EOFException if the range starts at or after the end of the data
     * @throws java.nio.file.NoSuchFileException if there is no data there
     * @throws InvalidLocationException if the store does not own the location
     * @throws UnsupportedStoreOperationException if the store cannot read ranges and the range does
     *     not start at 0
     */
    InputStream read(StoreLocation location, ByteRange range) throws IOException;

    /**
     * Returns the size in bytes of the data at {@code location}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no data there
     * @throws InvalidLocationException if the store does not own the location
     */
    long size(StoreLocation location) throws IOException;

    /**
     * Deletes the data at {@code location}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no data there
     * @throws InvalidLocationException if the store does not own the location
     * @throws UnsupportedStoreOperationException if the store cannot delete
     */
    void delete(StoreLocation location) throws IOException;

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() throws IOException {}
}
