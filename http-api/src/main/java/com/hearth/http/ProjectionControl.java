package com.hearth.http;

import com.hearth.projections.ReadModels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;

/**
 * Operators pause and resume every read-model projection, cluster-wide (for database maintenance,
 * say): POST /v1/admin/projections/pause and /resume. While paused the read tables stop following
 * the journal and /health/projections lists the paused ones; bookings themselves are unaffected.
 */
final class ProjectionControl extends HearthDirectives {

  private final ActorSystem<?> system;

  ProjectionControl(ActorSystem<?> system) {
    this.system = system;
  }

  /**
   * {@code pause} and {@code resume} under the {@code /v1/admin/projections} prefix the caller
   * matched.
   */
  Route routes() {
    ProjectionManagement management = ProjectionManagement.get(system);
    return concat(
        path("pause", () -> post(() -> apply("PAUSED", management::pause))),
        path("resume", () -> post(() -> apply("RUNNING", management::resume))));
  }

  private Route apply(String status, Function<ProjectionId, CompletionStage<Done>> action) {
    List<ProjectionId> ids = ReadModels.projectionIds();
    List<CompletableFuture<Done>> done =
        ids.stream().map(id -> action.apply(id).toCompletableFuture()).toList();
    return completeWithFuture(
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
            .handle(
                (ok, failure) -> {
                  if (failure != null)
                    return problem(
                        Problems.Type.UNAVAILABLE,
                        "not every projection answered; repeat the request");
                  return json(
                      200,
                      Map.of(
                          "status",
                          status,
                          "projections",
                          ids.stream().map(ProjectionId::id).toList()));
                }));
  }
}
