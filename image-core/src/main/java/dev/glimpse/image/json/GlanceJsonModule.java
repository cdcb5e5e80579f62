package dev.glimpse.image.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.NewImage;
import java.io.IOException;

/**
 * A Jackson module that reads and writes {@link Image}, {@link ImageMember} and reads
 * {@link NewImage} in Glance's Images API v2 format. Register it on an {@code ObjectMapper}, or use
 * {@link ImageJson}, which does.
 *
 * <p>Like Glance's defaults ({@code show_multiple_locations = False}, {@code show_image_direct_url =
 * False}), locations and {@code direct_url} are written only when asked for. Reading refuses
 * malformed documents with {@link dev.glimpse.image.InvalidRequestException} (wrapped by Jackson in
 * a {@code JsonMappingException} when called through an {@code ObjectMapper}).
 */
public final class GlanceJsonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** Creates the module with Glance's defaults: no locations, no direct_url in output. */
    public GlanceJsonModule() {
        this(false, false);
    }

    /**
     * Creates the module.
     *
     * @param showMultipleLocations whether to write {@code locations} (Glance's {@code show_multiple_locations})
     * @param showImageDirectUrl whether to write {@code direct_url} (Glance's {@code show_image_direct_url})
     */
    public GlanceJsonModule(boolean showMultipleLocations, boolean showImageDirectUrl) {
        super("glimpse-glance-v2");
        WireFormat format = new WireFormat(showMultipleLocations, showImageDirectUrl);
        addSerializer(Image.class, new JsonSerializer<Image>() {
            @Override
            public void serialize(Image value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                format.writeImage(value, gen);
            }
        });
        addSerializer(ImageMember.class, new JsonSerializer<ImageMember>() {
            @Override
            public void serialize(ImageMember value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                WireFormat.writeMember(value, gen);
            }
        });
        addDeserializer(Image.class, new JsonDeserializer<Image>() {
            @Override
            public Image deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return WireFormat.readImage(p.readValueAsTree());
            }
        });
        addDeserializer(ImageMember.class, new JsonDeserializer<ImageMember>() {
            @Override
            public ImageMember deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return WireFormat.readMember(p.<JsonNode>readValueAsTree());
            }
        });
        addDeserializer(NewImage.class, new JsonDeserializer<NewImage>() {
            @Override
            public NewImage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return WireFormat.readNewImage(p.readValueAsTree());
            }
        });
    }
}
