# Build a static binary, ship it alone on distroless.
# .ci/run builds the same binary with the same flags (it cannot run docker).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/skillgate .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/skillgate /usr/local/bin/skillgate
# Non-root. UID 1001 is the GitHub-hosted runner's user: the runner mounts the
# workspace and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files owned by it, and
# distroless's own nonroot user (65532) could not write them.
USER 1001:1001
ENTRYPOINT ["/usr/local/bin/skillgate"]
CMD ["action"]
