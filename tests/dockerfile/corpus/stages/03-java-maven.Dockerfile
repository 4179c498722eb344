FROM maven:3.9-eclipse-temurin-17 AS deps
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline

FROM deps AS package
COPY src ./src
RUN mvn -B -DskipTests package && cp target/*.jar /app.jar

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=package --chown=65532:65532 /app.jar /app/app.jar
EXPOSE 8443
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
