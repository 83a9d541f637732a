# One build, two images: `--target kubescrape` (the proxy) and `--target kube-sim` (the simulated cluster).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY config config
COPY proxy-testing proxy-testing
COPY proxy-core proxy-core
COPY proxy-server proxy-server
COPY proxy-it proxy-it
RUN mvn -B -ntp -Dstyle.color=never -DskipTests package

FROM eclipse-temurin:17-jre AS kube-sim
COPY --from=build /src/proxy-it/target/kube-sim.jar /app/kube-sim.jar
EXPOSE 6443
ENTRYPOINT ["java", "-jar", "/app/kube-sim.jar"]

FROM eclipse-temurin:17-jre AS kubescrape
COPY --from=build /src/proxy-server/target/kubescrape.jar /app/kubescrape.jar
USER 65532
EXPOSE 8080
# docs/operations.md#jvm-settings: the serial collector, a small young generation, two malloc arenas.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms32m", "-Xmn20m", "-XX:MaxRAMPercentage=50", "-XX:TrimNativeHeapInterval=5000", "-jar", "/app/kubescrape.jar"]
CMD ["--listen", "0.0.0.0:8080"]
