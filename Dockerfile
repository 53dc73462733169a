# One image for every service: docker-compose.yml runs it with a different ./malaria subcommand each.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -DskipTests package \
 && mkdir -p /app/lib \
 && tr ':' '\n' < launcher/target/classpath.txt | xargs -I{} cp {} /app/lib/ \
 && cp -r launcher/target/classes /app/classes \
 && mkdir -p models && cp -r models /app/models

FROM eclipse-temurin:17-jre
# tcmalloc makes libtorch 1.3-4x faster on CPU.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libtcmalloc-minimal4 \
 && rm -rf /var/lib/apt/lists/*
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
    OMP_WAIT_POLICY=PASSIVE \
    DJL_CACHE_DIR=/app/.djl \
    MALARIA_HOME=/data
COPY --from=build /app /app
WORKDIR /app
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dmalaria.repo.dir=/app", "-Dai.djl.offline=true", \
            "-cp", "/app/classes:/app/lib/*", "org.malariastream.launcher.Malaria"]
CMD ["--help"]
