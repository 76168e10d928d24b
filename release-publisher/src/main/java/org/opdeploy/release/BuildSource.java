package org.opdeploy.release;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The git commit and tag a release is built from, for the manifest's {@code source}: from the
 * Actions environment ({@code GITHUB_SHA}, {@code GITHUB_REF_NAME} on a tag) when there, else from
 * the repository around the working folder. Unknown parts stay null; nothing here fails a release.
 */
public record BuildSource(String commit, String tag) {

  public static BuildSource detect(Map<String, String> env, Path workingFolder) {
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
