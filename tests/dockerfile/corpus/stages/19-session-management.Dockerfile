FROM --platform=$BUILDPLATFORM eclipse-temurin:21-jdk AS gradle
WORKDIR /work
COPY gradlew settings.gradle.kts build.gradle.kts ./
COPY gradle ./gradle
RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies
COPY src ./src
RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon bootJar \
 && mkdir -p /out && cp build/libs/*.jar /out/app.jar

FROM eclipse-temurin:21-jre AS jlink
RUN $JAVA_HOME/bin/jlink --add-modules java.base,java.logging,java.sql --output /jre \
    --strip-debug --no-man-pages --no-header-files --compress=2

FROM pickme/lucid-base:java-distroless-arm64
COPY --from=jlink /jre /opt/jre
COPY --from=gradle /out/app.jar /app/app.jar
ENTRYPOINT ["/opt/jre/bin/java", "-jar", "/app/app.jar"]
