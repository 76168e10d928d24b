package org.opdeploy.http;

import java.io.IOException;
import okhttp3.Response;
import org.opdeploy.error.OpdeployException;

/**
 * Turns an unsuccessful response into the right failure: a {@link TransientHttpException} to retry,
 * or an {@link OpdeployException} whose one line tells the user what to do.
 */
@FunctionalInterface
public interface ResponseErrors {
  /** Always throws; {@code what} names the operation ("download x.zst from github:o/r"). */
  IOException fail(String what, Response response) throws IOException, OpdeployException;
}
