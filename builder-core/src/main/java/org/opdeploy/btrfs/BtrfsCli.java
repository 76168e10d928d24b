package org.opdeploy.btrfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/** {@link Btrfs} through btrfs-progs, run by the shared {@link ProcessRunner}. */
public final class BtrfsCli implements Btrfs {
  /** Streams of many GiB take long; a stuck send still ends. */
  private static final Duration STREAM_TIMEOUT = Duration.ofHours(12);

  private static final Pattern FIELD = Pattern.compile("^\\s*([A-Za-z ]+):\\s*(.*?)\\s*$");
  private static final Pattern PROGS_VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");

  private final ProcessRunner runner;

  public BtrfsCli(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public void requireBtrfs(Path path, String setting) throws OpdeployException {
    String fix =
        ": pass --"
            + setting
            + " DIR (setting '"
            + setting
            + "') naming a folder on a mounted btrfs filesystem";
    String type;
    try {
      type = Files.getFileStore(path).type();
    } catch (NoSuchFileException e) {
      throw new BadInputException(setting + " " + path + " does not exist" + fix);
    } catch (IOException e) {
      throw new BadInputException(
          setting + " " + path + " cannot be inspected (" + e.getMessage() + ")" + fix);
    }
    if (!"btrfs".equals(type)) {
      throw new BadInputException(setting + " " + path + " is on " + type + ", not btrfs" + fix);
    }
  }

  @Override
  public void createSubvolume(Path path) throws OpdeployException {
    runner.run("btrfs", "subvolume", "create", path.toString());
  }

  @Override
  public void snapshot(Path source, Path target, boolean readOnly) throws OpdeployException {
    List<String> argv = new ArrayList<>(List.of("btrfs", "subvolume", "snapshot"));
    if (readOnly) {
      argv.add("-r");
    }
    argv.add(source.toString());
    argv.add(target.toString());
    runner.run(ProcessSpec.of(argv));
  }

  @Override
  public SubvolumeInfo show(Path path) throws OpdeployException {
    ProcessResult result = runner.run("btrfs", "subvolume", "show", path.toString());
    return parseShow(path, result.stdout());
  }

  static SubvolumeInfo parseShow(Path path, String output) {
    String uuid = "", parent = "", received = "";
    boolean readOnly = false;
    long generation = 0;
    for (String line : output.split("\n")) {
      Matcher m = FIELD.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String value = m.group(2).equals("-") ? "" : m.group(2);
      switch (m.group(1).strip()) {
        case "UUID" -> uuid = value;
        case "Parent UUID" -> parent = value;
        case "Received UUID" -> received = value;
        case "Generation" -> generation = Long.parseLong(value);
        case "Flags" -> readOnly = value.contains("readonly");
        default -> {}
      }
    }
    return new SubvolumeInfo(path, uuid, parent, received, readOnly, generation);
  }

  @Override
  public boolean isSubvolume(Path path) {
    try {
      // Every subvolume root has inode 256 on btrfs.
      Object ino = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
          && ((Number) ino).longValue() == 256L;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Override
  public List<SubvolumeInfo> list(Path directory) throws OpdeployException {
    List<SubvolumeInfo> found = new ArrayList<>();
    List<Path> children;
    try (Stream<Path> entries = Files.list(directory)) {
      children = entries.sorted().toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + directory + ": " + e.getMessage(), e);
    }
    for (Path child : children) {
      if (isSubvolume(child)) {
        found.add(show(child));
      }
    }
    return found;
  }

  @Override
  public void delete(Path path) throws OpdeployException {
    runner.run("btrfs", "subvolume", "delete", path.toString());
  }

  @Override
  public boolean isReadOnly(Path path) throws OpdeployException {
    String out = runner.run("btrfs", "property", "get", "-ts", path.toString(), "ro").stdout();
    return out.strip().equals("ro=true");
  }

  @Override
  public void setReadOnly(Path path, boolean readOnly) throws OpdeployException {
    runner.run(
        "btrfs", "property", "set", "-ts", path.toString(), "ro", Boolean.toString(readOnly));
  }

  @Override
  public void sync(Path path) throws OpdeployException {
    runner.run("btrfs", "filesystem", "sync", path.toString());
  }

  @Override
  public void send(SendRequest request, ProcessSpec.StdoutReader consumer)
      throws OpdeployException {
    List<String> argv = new ArrayList<>(List.of("btrfs", "-q", "send"));
    if (request.parent() != null) {
      argv.add("-p");
      argv.add(request.parent().toString());
    }
    // Protocol 1 is btrfs send's default; btrfs-progs before 5.19 do not know --proto at all.
    if (request.protocol() > 1) {
      argv.add("--proto");
      argv.add(Integer.toString(request.protocol()));
    }
    if (request.compressedData()) {
      argv.add("--compressed-data");
    }
    argv.add(request.snapshot().toString());
    runner.run(ProcessSpec.of(argv).withTimeout(STREAM_TIMEOUT).withStdout(consumer));
  }

  @Override
  public void receive(Path directory, ProcessSpec.StdinWriter producer) throws OpdeployException {
    runner.run(
        ProcessSpec.of("btrfs", "-q", "receive", "-C", "-e", directory.toString())
            .withTimeout(STREAM_TIMEOUT)
            .withStdin(producer));
  }

  @Override
  public SendCapabilities capabilities() throws OpdeployException {
    String version = runner.run("btrfs", "--version").stdout().strip();
    Matcher m = PROGS_VERSION.matcher(version);
    int major = 0, minor = 0;
    if (m.find()) {
      major = Integer.parseInt(m.group(1));
      minor = Integer.parseInt(m.group(2));
    }
    boolean progsV2 = major >= 6;
    int kernel = kernelSendProtocol();
    int protocol = progsV2 ? Math.min(2, kernel) : 1;
    return new SendCapabilities(
        version.replaceFirst("^btrfs-progs\\s*", ""), protocol, protocol >= 2);
  }

  private static int kernelSendProtocol() {
    try {
      return Integer.parseInt(
          Files.readString(Path.of("/sys/fs/btrfs/features/send_stream_version")).strip());
    } catch (IOException | NumberFormatException e) {
      return 1;
    }
  }
}
