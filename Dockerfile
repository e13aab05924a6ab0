# The Hearth node image (also runs the OCR worker: `ocr-worker` instead of `run`).
#   docker build -t registry.example.com/hearth:0.1.0 .
# (or, without a Docker daemon, `podman build`, `buildah bud` or kaniko with the same file).
# Both stages pull their base from Docker Hub; docs/runbook.md ("The image") says how it is built,
# checked and pushed in a pipeline, and why the development machines do not build it.
# Build stage: the shaded jar http-api/target/hearth-node.jar, tests left to CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY engine engine
COPY projections projections
COPY billing billing
COPY ocr-worker ocr-worker
COPY http-api http-api
COPY loadtest loadtest
RUN mvn -B -q -pl http-api -am package -DskipTests

# Runtime: a JRE, Tesseract for the OCR worker (Tess4J loads the system's libtesseract), no shell tools beyond the base.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 hearth && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin hearth \
 && mkdir -p /var/lib/hearth && chown hearth:hearth /var/lib/hearth
COPY --from=build /src/http-api/target/hearth-node.jar /app/hearth-node.jar
USER 10001:10001
WORKDIR /var/lib/hearth
ENV HEARTH_DATA_DIR=/var/lib/hearth
# http, management (probes, bootstrap), cluster remoting, Prometheus metrics
EXPOSE 8080 8558 25520 9095
# HEARTH_JAVA_OPTS (heap, -D settings) reach the JVM; the arguments are Hearth's command.
ENTRYPOINT ["sh", "-c", "exec java $HEARTH_JAVA_OPTS -jar /app/hearth-node.jar \"$@\"", "hearth"]
CMD ["run"]
