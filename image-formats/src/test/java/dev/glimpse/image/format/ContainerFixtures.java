package dev.glimpse.image.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builders of containers for tests: tar archives member by member, OVF descriptors, qemu-img disks. */
final class ContainerFixtures {
    private ContainerFixtures() {}

    /** One tar member: a name, its data, its tar type flag, for links its target, and a PAX comment. */
    record Member(String name, byte[] data, byte type, String linkName, String paxComment) {
        static Member file(String name, byte[] data) {
            return new Member(name, data, TarConstants.LF_NORMAL, "", "");
        }

        static Member of(String name, byte type, String linkName) {
            return new Member(name, new byte[0], type, linkName, "");
        }

        /** This member with a PAX extended header carrying {@code comment}. */
        Member withPaxComment(String comment) {
            return new Member(name, data, type, linkName, comment);
        }

        static Member directory(String name) {
            return of(name, TarConstants.LF_DIR, "");
        }

        static Member file(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A tar archive (POSIX/PAX for long names) of the given members, in order. */
    static byte[] tar(List<Member> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member member : members) {
                TarArchiveEntry entry = new TarArchiveEntry(member.name(), member.type(), true);
                if (!member.linkName().isEmpty()) {
                    entry.setLinkName(member.linkName());
                }
                entry.setSize(member.type() == TarConstants.LF_NORMAL ? member.data().length : 0);
                if (!member.paxComment().isEmpty()) {
                    entry.addPaxHeader("comment", member.paxComment());
                }
                tar.putArchiveEntry(entry);
                if (member.type() == TarConstants.LF_NORMAL) {
                    tar.write(member.data());
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] tar(Member... members) throws IOException {
        return tar(List.of(members));
    }

    /** An OVF 1.0 envelope referencing {@code hrefs}, the first as its disk. */
    static String ovf(String... hrefs) {
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < hrefs.length; i++) {
            refs.append("    <File ovf:href=\"").append(hrefs[i]).append("\" ovf:id=\"file").append(i).append("\"/>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"
                          xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
                  <References>
                %s  </References>
                  <DiskSection>
                    <Info>Virtual disks</Info>
                    <Disk ovf:capacity="1048576" ovf:diskId="vmdisk1" ovf:fileRef="file0"/>
                  </DiskSection>
                  <VirtualSystem ovf:id="vm"><Info>A VM</Info></VirtualSystem>
                </Envelope>
                """.formatted(refs);
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A manifest line in the OVF syntax, e.g. {@code SHA256(disk.img)= ...}. */
    static String mfLine(String algorithm, String name, byte[] data) {
        String jca = switch (algorithm) {
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            default -> "SHA-512";
        };
        return algorithm + "(" + name + ")= " + hex(jca, data) + "\n";
    }

    /** Runs a command, failing the test if it fails. */
    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** A disk made by {@code qemu-img create -f format} with optional {@code -o} options. */
    static Path qemuImg(Path dir, String name, String format, String size, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", format));
        for (String option : options) {
            command.add("-o");
            command.add(option);
        }
        command.add(name);
        command.add(size);
        run(dir, command.toArray(String[]::new));
        return dir.resolve(name);
    }

    static byte[] read(Path path) throws IOException {
        return Files.readAllBytes(path);
    }
}
