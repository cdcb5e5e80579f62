package dev.glimpse.image.internal.data;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidImageDataException;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.InvalidLocationException;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import dev.glimpse.image.store.UnsupportedStoreOperationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the catalogue service does with image bytes: choosing the store, the upload pass, the
 * format verdict, opening verified downloads, checking user-supplied locations and deleting data.
 * The service keeps the status rules; this class never touches the repository.
 *
 * <p>Thread-safe.
 */
public final class DataPath {
    private static final Logger LOG = LoggerFactory.getLogger(DataPath.class);
    /** Schemes users may never add as locations (Glance's {@code RESTRICTED_URI_SCHEMAS}). */
    static final Set<String> RESTRICTED_SCHEMES = Set.of("file", "filesystem", "swift+config");

    /**
     * The data-path settings.
     *
     * @param stores the stores, or null for a catalogue without data
     * @param imageSizeCap Glance's {@code image_size_cap}, bytes; below 0 for none
     * @param hashingAlgorithm Glance's {@code hashing_algorithm} (multihash), e.g. {@code sha512}
     * @param inspector the format inspector used on uploads
     * @param locationQuota Glance's {@code image_location_quota}; below 0 for none
     * @param pipeline the upload pipeline
     */
    public record Settings(@Nullable ImageStoreRegistry stores, long imageSizeCap, String hashingAlgorithm,
            FormatInspector inspector, int locationQuota, UploadPipeline pipeline) {
        /** Checks the settings. */
        public Settings {
            hashingAlgorithm = HashAlgorithms.validate(hashingAlgorithm);
            Objects.requireNonNull(inspector, "inspector");
            Objects.requireNonNull(pipeline, "pipeline");
        }
    }

    private final Settings settings;

    /** A data path with no stores and Glance's defaults: records only, uploads fail clearly. */
    public static DataPath withoutStores() {
        return new DataPath(new Settings(null, 1099511627776L, "sha512",
                dev.glimpse.image.format.FormatInspector.defaults(), 10, UploadPipeline.defaults()));
    }

    /** Creates the data path. */
    public DataPath(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    private ImageStoreRegistry stores() {
        ImageStoreRegistry stores = settings.stores();
        if (stores == null) {
            throw new IllegalStateException("this catalogue has no image store: build the ImageService with stores(...)");
        }
        return stores;
    }

    /**
     * The store an upload writes to.
     *
     * @throws InvalidRequestException if the named store is unknown or read-only
     */
    public ImageStore uploadStore(Optional<String> storeId) {
        ImageStoreRegistry stores = stores();
        ImageStore store = storeId.isEmpty() ? stores.defaultStore() : stores.store(storeId.get()).orElseThrow(
                () -> new InvalidRequestException("unknown store '" + storeId.get() + "'; known stores: "
                        + stores.stores().stream().map(ImageStore::id).toList()));
        if (!store.capabilities().contains(StoreCapability.WRITE)) {
            throw new InvalidRequestException("store '" + store.id() + "' is read-only and cannot take uploads");
        }
        return store;
    }

    /** The size guard of an upload; fails at once if the declared size is over a limit. */
    public SizeGuard sizeGuard(OptionalLong declaredSize) {
        return SizeGuard.of(declaredSize.orElse(SizeGuard.UNKNOWN), settings.imageSizeCap());
    }

    /** Glance inspects only bare containers: other containers wrap the disk, and are not disks themselves. */
    public @Nullable StreamingInspection startInspection(Image image) {
        return image.containerFormat().orElse(null) == ContainerFormat.BARE
                ? settings.inspector().startStreaming() : null;
    }

    /** Runs the one pass over the data. Nothing is left in the store if it throws. */
    public UploadPipeline.Result write(InputStream data, ImageStore store, Image image, SizeGuard guard,
            @Nullable StreamingInspection inspection) throws IOException {
        return settings.pipeline().run(data, store, image.id(), guard, settings.hashingAlgorithm(), inspection);
    }

    /**
     * The format verdict of a finished upload: the data must be the declared disk format and safe.
     *
     * @return the inspection, or null when the container format is not inspected
     * @throws InvalidImageDataException naming the detected format or the broken safety rule
     */
    public @Nullable Inspection judge(Image image, UploadPipeline.Result result) {
        if (result.inspectionFailure() != null) {
            throw new InvalidImageDataException("image " + image.id() + " data was refused: "
                    + result.inspectionFailure().getMessage(), result.inspectionFailure());
        }
        Inspection inspection = result.inspection();
        if (inspection == null) {
            return null;
        }
        DiskFormat declared = image.diskFormat().orElseThrow(
                () -> new InvalidRequestException("image " + image.id() + " has no disk_format"));
        try {
            return FormatInspector.requireDeclared(inspection, declared);
        } catch (ImageFormatException e) {
            throw new InvalidImageDataException("image " + image.id() + " data was refused: " + e.getMessage(), e);
        }
    }

    /** Deletes stored data after a refused upload; a failure is added to {@code cause}. */
    public void discard(StoredImage stored, Throwable cause) {
        try {
            stores().storeFor(stored.location()).delete(stored.location());
        } catch (IOException | RuntimeException e) {
            LOG.error("could not delete refused image data at {}", stored.location(), e);
            cause.addSuppressed(e);
        }
    }

    /** The catalogue location for stored data. */
    public static ImageLocation location(StoredImage stored) {
        return new ImageLocation(stored.location().uri().toString(), stored.metadata(), stored.location().storeId(),
                ImageLocation.Status.ACTIVE);
    }

    private Optional<StoreLocation> storeLocation(ImageLocation location) {
        URI uri;
        try {
            uri = new URI(location.url());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(location.storeId() != null ? new StoreLocation(location.storeId(), uri)
                    : stores().locate(uri));
        } catch (InvalidLocationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens an image's data, or a range of it, trying its locations in order. The whole-image
     * stream verifies the recorded hash.
     *
     * @return empty if the image has no data
     * @throws EOFException if the range starts at or after the end of the image
     * @throws IOException if no location can be read
     */
    public Optional<ImageData> open(Image image, @Nullable ByteRange range) throws IOException {
        List<ImageLocation> live = image.locations().stream()
                .filter(l -> l.status() == ImageLocation.Status.ACTIVE).toList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        IOException failure = null;
        for (ImageLocation location : live) {
            Optional<StoreLocation> resolved = storeLocation(location);
            if (resolved.isEmpty()) {
                failure = chain(failure, new IOException("location " + location.url() + " of image " + image.id()
                        + " belongs to no configured store"));
                continue;
            }
            try {
                return Optional.of(open(image, resolved.get(), range));
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                LOG.warn("cannot read image {} from {}: {}", image.id(), location.url(), e.toString());
                failure = chain(failure, e);
            }
        }
        throw failure;
    }

    private static IOException chain(@Nullable IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private ImageData open(Image image, StoreLocation location, @Nullable ByteRange range) throws IOException {
        ImageStore store = stores().storeFor(location);
        long size = image.size().isPresent() ? image.size().get() : store.size(location);
        if (range == null || (range.offset() == 0 && range.toEnd())) {
            InputStream in = store.read(location);
            String algorithm = image.osHashValue().isPresent() ? image.osHashAlgo().orElse(null) : null;
            String expected = algorithm != null ? image.osHashValue().get() : image.checksum().orElse(null);
            if (expected == null) {
                // Data added by location without validation data has no hash to check against.
                return new ImageData(in, 0, size, size, null, false);
            }
            InputStream verifying = new VerifyingInputStream(in, image.id(), algorithm != null ? algorithm : "md5",
                    expected, size);
            return new ImageData(verifying, 0, size, size, image.checksum().orElse(null), true);
        }
        long length = range.resolve(size);
        InputStream in = store.read(location, range);
        return new ImageData(in, range.offset(), length, size, image.checksum().orElse(null), false);
    }

    /**
     * Checks a location a user adds (Glance's locations API) and returns it with its store and size.
     *
     * @throws InvalidRequestException if the URI is malformed, uses a restricted scheme, belongs to
     *     no store, or the store reports no data there
     * @throws QuotaExceededException if the image already has {@code image_location_quota} locations
     */
    public CheckedLocation checkNewLocation(Image image, String url, Map<String, String> metadata) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("location '" + url + "' is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (RESTRICTED_SCHEMES.contains(scheme)) {
            throw new InvalidRequestException("locations with scheme '" + scheme + "' may not be added by users");
        }
        long live = image.locations().stream().filter(l -> l.status() == ImageLocation.Status.ACTIVE).count();
        if (settings.locationQuota() >= 0 && live >= settings.locationQuota()) {
            throw new QuotaExceededException("image " + image.id() + " already has " + live
                    + " locations, the most allowed (image_location_quota)");
        }
        if (image.locations().stream().anyMatch(l -> l.url().equals(url) && l.metadata().equals(metadata))) {
            throw new InvalidRequestException("image " + image.id() + " already has location " + url);
        }
        StoreLocation location;
        try {
            location = stores().locate(uri);
        } catch (InvalidLocationException e) {
            throw new InvalidRequestException("no configured store serves location " + url, e);
        }
        long size;
        try {
            size = stores().storeFor(location).size(location);
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException("there is no image data at location " + url, e);
        } catch (IOException e) {
            throw new InvalidRequestException("cannot read the size of location " + url + ": " + e.getMessage(), e);
        }
        if (size <= 0) {
            throw new InvalidRequestException("the data at location " + url + " is empty");
        }
        return new CheckedLocation(new ImageLocation(url, metadata, location.storeId(), ImageLocation.Status.ACTIVE),
                size);
    }

    /**
     * A location checked by {@link #checkNewLocation}.
     *
     * @param location the catalogue location, with its store id
     * @param size the size the store reports
     */
    public record CheckedLocation(ImageLocation location, long size) {}

    /**
     * Deletes the data at every live location of a deleted image. Data in stores that cannot delete
     * (the http store reads data it does not own) and data already gone are skipped.
     *
     * @throws UncheckedIOException if some data could not be deleted, after trying all of it
     */
    public void deleteData(Image image) {
        if (settings.stores() == null) {
            return;
        }
        IOException failure = null;
        for (ImageLocation location : image.locations()) {
            if (location.status() == ImageLocation.Status.DELETED) {
                continue;
            }
            Optional<StoreLocation> resolved = storeLocation(location);
            if (resolved.isEmpty()) {
                LOG.warn("image {}: location {} belongs to no configured store; its data is left alone",
                        image.id(), location.url());
                continue;
            }
            try {
                ImageStore store = stores().storeFor(resolved.get());
                if (!store.capabilities().contains(StoreCapability.DELETE)) {
                    continue;
                }
                store.delete(resolved.get());
            } catch (NoSuchFileException | UnsupportedStoreOperationException e) {
                LOG.debug("image {}: data at {} already gone or not deletable: {}", image.id(), location.url(), e.toString());
            } catch (IOException e) {
                failure = chain(failure, e);
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("could not delete all data of image " + image.id() + ": "
                    + failure.getMessage(), failure);
        }
    }

    /** Whether a caller may download an image in its current status. */
    public static void checkDownloadable(Image image, boolean admin) {
        if (image.status() == ImageStatus.DEACTIVATED && !admin) {
            throw new ForbiddenException("image " + image.id() + " is deactivated; only administrators may download it");
        }
    }
}
