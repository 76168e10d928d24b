package org.opdeploy.release;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.opdeploy.manifest.Manifest;

/**
 * Where a release is built from, for the manifest's {@code source}: the deployment repository's git
 * commit and tag (from the Actions environment, {@code GITHUB_SHA} and {@code GITHUB_REF_NAME} on a
 * tag, when there; else from the repository around the working folder), its name ({@code
 * GITHUB_REPOSITORY}), and the payload's own source from {@code OPDEPLOY_PAYLOAD_REPOSITORY},
 * {@code OPDEPLOY_PAYLOAD_TAG} and {@code OPDEPLOY_PAYLOAD_COMMIT} (ci/build-opdbus.sh prints
 * them). Unknown parts stay null; nothing here fails a release.
 */
public record BuildSource(
    String commit, String tag, String repository, Manifest.PayloadSource payload) {

  /** A source with only the deployment repository's commit and tag. */
  public BuildSource(String commit, String tag) {
    this(commit, tag, null, null);
  }

  public static BuildSource detect(Map<String, String> env, Path workingFolder) {
    BuildSource git = detectGit(env, workingFolder);
    return new BuildSource(
        git.commit(), git.tag(), blankToNull(env.get("GITHUB_REPOSITORY")), payload(env));
  }

  /** The payload's source, or null when the environment names none of it. */
  static Manifest.PayloadSource payload(Map<String, String> env) {
    String repository = blankToNull(env.get("OPDEPLOY_PAYLOAD_REPOSITORY"));
    String tag = blankToNull(env.get("OPDEPLOY_PAYLOAD_TAG"));
    String commit = blankToNull(env.get("OPDEPLOY_PAYLOAD_COMMIT"));
    return repository == null && tag == null && commit == null
        ? null
        : new Manifest.PayloadSource(repository, tag, commit);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static BuildSource detectGit(Map<String, String> env, Path workingFolder) {
    String commit = env.get("GITHUB_SHA");
    String tag = "tag".equals(env.get("GITHUB_REF_TYPE")) ? env.get("GITHUB_REF_NAME") : null;
    if (commit != null) {
      return new BuildSource(commit, tag);
    }
    FileRepositoryBuilder builder =
        new FileRepositoryBuilder().readEnvironment().findGitDir(workingFolder.toFile());
    if (builder.getGitDir() == null) {
      return new BuildSource(null, null);
    }
    try (Repository repository = builder.build()) {
      ObjectId head = repository.resolve(Constants.HEAD);
      if (head == null) {
        return new BuildSource(null, null);
      }
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        Ref peeled = repository.getRefDatabase().peel(ref);
        ObjectId target =
            peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
        if (head.equals(target)) {
          tag = ref.getName().substring(Constants.R_TAGS.length());
          break;
        }
      }
      return new BuildSource(head.getName(), tag);
    } catch (IOException e) {
      return new BuildSource(null, null);
    }
  }
}
