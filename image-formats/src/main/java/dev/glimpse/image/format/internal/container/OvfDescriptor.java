package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * An OVF descriptor (DMTF DSP0243), parsed safely: any DOCTYPE is refused outright, so neither
 * external entities (XXE) nor entity expansion ("billion laughs") can happen, and nothing is ever
 * fetched. Only what validation needs is kept: the OVF version and the files the
 * {@code References} section names, each of which must be a relative path inside the package.
 *
 * @param namespace the envelope's namespace URI (OVF 1.x or 2.x)
 * @param hrefs the {@code ovf:href} of every {@code References/File}, in document order
 * @param diskCount the number of {@code DiskSection/Disk} elements
 */
record OvfDescriptor(String namespace, List<String> hrefs, int diskCount) {
    static final String OVF1 = "http://schemas.dmtf.org/ovf/envelope/1";
    static final String OVF2 = "http://schemas.dmtf.org/ovf/envelope/2";

    OvfDescriptor {
        hrefs = List.copyOf(hrefs);
    }

    /** The OVF version family, "1" or "2". */
    String version() {
        return namespace.equals(OVF2) ? "2" : "1";
    }

    /**
     * Parses {@code xml} (already bounded by the descriptor size limit).
     *
     * @throws ImageFormatException naming the rule broken: not XML, a DOCTYPE, not an OVF
     *     envelope, an href that is absolute, a URL, or escapes with {@code ..}
     */
    static OvfDescriptor parse(String container, String name, byte[] xml) throws ImageFormatException {
        Document document;
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(THROWING);
            builder.setEntityResolver((publicId, systemId) -> {
                // Unreachable with DOCTYPEs refused; belt and braces against any fetch.
                throw new SAXException("external entity '" + systemId + "' refused");
            });
            document = builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("DOCTYPE")) {
                throw new ImageFormatException(container + ": OVF descriptor '" + name
                        + "' has a DOCTYPE; DTDs and entities are refused (XXE)", e);
            }
            throw new ImageFormatException(container + ": OVF descriptor '" + name
                    + "' is not well-formed XML: " + message, e);
        } catch (IOException | ParserConfigurationException | RuntimeException e) {
            throw new ImageFormatException(container + ": OVF descriptor '" + name + "' cannot be parsed: "
                    + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        String namespace = root.getNamespaceURI();
        if (!"Envelope".equals(root.getLocalName()) || !(OVF1.equals(namespace) || OVF2.equals(namespace))) {
            throw new ImageFormatException(container + ": '" + name + "' is not an OVF descriptor: root element is {"
                    + namespace + "}" + root.getLocalName() + ", expected an OVF 1.x or 2.x Envelope");
        }
        List<String> hrefs = new ArrayList<>();
        int disks = 0;
        for (Element section : children(root)) {
            if ("References".equals(section.getLocalName())) {
                for (Element file : children(section)) {
                    if (!"File".equals(file.getLocalName())) {
                        continue;
                    }
                    String href = attribute(file, namespace, "href");
                    if (href == null) {
                        throw new ImageFormatException(container + ": OVF descriptor '" + name
                                + "' has a File reference without ovf:href");
                    }
                    checkHref(container, href);
                    hrefs.add(href);
                }
            } else if ("DiskSection".equals(section.getLocalName())) {
                for (Element disk : children(section)) {
                    if ("Disk".equals(disk.getLocalName())) {
                        disks++;
                    }
                }
            }
        }
        return new OvfDescriptor(namespace, hrefs, disks);
    }

    private static void checkHref(String container, String href) throws ImageFormatException {
        int colon = href.indexOf(':');
        int slash = href.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            String scheme = href.substring(0, colon).toLowerCase(Locale.ROOT);
            throw new ImageFormatException(container + ": OVF href '" + href + "' is a " + scheme
                    + ": URL; only paths relative to the descriptor are allowed");
        }
        if (href.indexOf('%') >= 0) {
            // A consumer that percent-decodes would see "%2e%2e/" as "../": refuse encodings outright.
            throw new ImageFormatException(container + ": OVF href '" + href + "' is percent-encoded; "
                    + "only plain relative paths are allowed");
        }
        MemberNames.checkRelative(container, "OVF href", href);
    }

    private static String attribute(Element element, String namespace, String localName) {
        if (element.hasAttributeNS(namespace, localName)) {
            return element.getAttributeNS(namespace, localName);
        }
        // Some producers write the attribute without its namespace prefix.
        return element.hasAttribute(localName) ? element.getAttribute(localName) : null;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // Warnings do not make a descriptor unsafe.
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
