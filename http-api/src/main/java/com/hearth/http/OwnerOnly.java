package com.hearth.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files at rest readable by their owner only: the data directory (0700) and what it holds (0600),
 * whatever the process's umask. On a file system without POSIX permissions (Windows) it does
 * nothing and the files keep what their directory gives them.
 */
final class OwnerOnly {

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} (and missing parents) owner-only, or narrows it to owner-only if it exists.
   */
  static void directory(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }
    Files.setPosixFilePermissions(dir, DIRECTORY);
  }

  /** Writes a new file that is owner-only from its creation; fails if it exists. */
  static void writeNewFile(Path file, String text) throws IOException {
    FileAttribute<?>[] attributes =
        posix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
            : new FileAttribute<?>[0];
    Files.createFile(file, attributes);
    try (OutputStream out =
        Files.newOutputStream(
            file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Narrows every file and directory under {@code dir} to owner-only: the embedded database creates
   * its files with the process's umask (often 0644), so they are narrowed once it has made them.
   * The directory itself being 0700 is what keeps others out meanwhile.
   */
  static void tree(Path dir) throws IOException {
    if (!posix() || !Files.isDirectory(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(p)) continue;
        try {
          Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIRECTORY : FILE);
        } catch (java.nio.file.NoSuchFileException gone) {
          // A temporary file the database removed meanwhile.
        }
      }
    }
  }
}
